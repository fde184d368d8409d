"""The managers' home page: where the register stands, what falls due, and the trend."""
