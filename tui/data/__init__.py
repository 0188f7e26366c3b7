"""The data layer: the only code that calls boto3. It returns frozen dataclasses and never imports textual."""
