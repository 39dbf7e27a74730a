"""Registration plugin: agencies register themselves and their innovations; visitors get passes."""
