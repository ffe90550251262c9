"""Teams app package for Rådsbot: manifest template, icons, vendored schema and build script."""
