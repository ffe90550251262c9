"""The council's domain: rules and use cases, free of Teams and databases."""
