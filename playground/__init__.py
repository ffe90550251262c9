"""The Microsoft 365 Agents Playground set-up for the demo council (people and ids), shared with ./chat."""
