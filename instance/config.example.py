# Copy to instance/config.py. Environment variables (GELAR_*) override these values.

# DATABASE_URL = "postgresql+psycopg://gelar@127.0.0.1:5432/gelar"
# SECRET_KEY = "a long random string"          # generated into instance/secret_key if unset
# REDIS_URL = "redis://127.0.0.1:6379/0"        # shared rate limits across processes
# BASE_URL = "https://gelar.example.go.id"      # absolute links in e-mails
# ENV_NAME = "production"                       # refuses insecure settings

# MAIL_SERVER = "smtp.example.go.id"
# MAIL_PORT = 587
# MAIL_USERNAME = "gelar"
# MAIL_PASSWORD = "..."
# MAIL_USE_TLS = True
# MAIL_DEFAULT_SENDER = "Gelar <noreply@example.go.id>"

# BABEL_DEFAULT_LOCALE = "id"
