"""The registry of pollutant-discharge units (排污单位) and their legal representatives."""
