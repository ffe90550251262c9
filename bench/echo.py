"""The yardstick of every benchmark: a botbuilder echo bot on the **stock** SDK adapter.

`CloudAdapter(ConfigurationBotFrameworkAuthentication(...))` exactly as the SDK builds it (anonymous, no app
id), so a speed-up of our own adapter (`bot/adapter.py`) counts in the app's favour, not the yardstick's.
Messages go through the SDK's own `CloudAdapter.process`; invokes cannot (4.17.1 answers an invoke with a
body 500), so they go through the equivalent minimal route the platform notes give: `process_activity` on the
same stock adapter, the invoke body serialised once."""
from __future__ import annotations


async def serve_echo():
    """The stock echo bot on a free port of 127.0.0.1: its runner and base URL."""
    from aiohttp import web

    runner = web.AppRunner(stock_echo_app())  # the same defaults as tests.e2e.harness.BotUnderTest
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def stop_servers(client, echo_runner, bot) -> None:
    """A benchmark's end: the load client first (nothing more is sent), then the echo bot and the app."""
    await client.close()
    await echo_runner.cleanup()
    await bot.close()
    await bot.connector.stop()


def stock_echo_app():
    from aiohttp import web
    from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
    from botbuilder.core.serializer_helper import serializer_helper
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
    from botbuilder.schema import Activity, AdaptiveCardInvokeResponse
    from msrest.serialization import Model

    from bot.adapter import bot_configuration
    from council.settings import Settings

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(MessageFactory.text(turn_context.activity.text or ""))

        async def on_adaptive_card_invoke(self, turn_context: TurnContext, invoke_value):
            data = invoke_value.action.get("data") or {}
            card = {"type": "AdaptiveCard", "version": "1.5", "body": [
                {"type": "TextBlock", "text": f"Du har stemt {data.get('choice', '')}", "wrap": True}]}
            return AdaptiveCardInvokeResponse(status_code=200, type="application/vnd.microsoft.card.adaptive",
                                              value=card)

    echo = EchoBot()
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(bot_configuration(Settings())))

    async def messages(request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("type") != "invoke":
            return await adapter.process(request, echo)
        activity = Activity().deserialize(body)
        response = await adapter.process_activity(request.headers.get("Authorization", ""), activity, echo.on_turn)
        if response is None:
            return web.Response(status=201)
        data = serializer_helper(response.body) if isinstance(response.body, Model) else response.body
        return web.json_response(data=data, status=response.status)

    app = web.Application(client_max_size=256 * 1024)
    app.router.add_post("/api/messages", messages)
    return app
