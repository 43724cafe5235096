"""Settings: the one place that reads the environment (prefix ``PERMITHUB_``)."""

from __future__ import annotations

import ipaddress
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_EMBEDDING_MODEL = "use-multilingual"


class Settings(BaseSettings):
    """Runtime settings, read from ``PERMITHUB_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="PERMITHUB_", extra="ignore")

    data_dir: Path = Path("./var")
    database_url: str | None = None
    secret_key: SecretStr | None = None
    telegram_token: SecretStr | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    # WeChat official account (公众号): the server-config token, AppID, EncodingAESKey (safe and
    # compatible modes) and AppSecret (only `permithub wechat menu` needs it). Never logged.
    wechat_token: SecretStr | None = None
    wechat_app_id: str | None = None
    wechat_aes_key: SecretStr | None = None
    wechat_app_secret: SecretStr | None = None
    # "use-multilingual" (the bundled numpy encoder) or a local sentence-transformers model folder
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    # The address people reach PermitHub at: printed on certificates ("查验地址") and in links.
    base_url: str = "http://127.0.0.1:8000"
    # Mail for ``permithub remind --send``: no host, no mail.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = "PermitHub <permithub@localhost>"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    # A Chinese TrueType font (.ttf/.ttc) embedded in certificate PDFs; unset: a system font
    # (core.certificates.SYSTEM_FONTS, e.g. WenQuanYi Micro Hei).
    certificate_font: Path | None = None
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or CIDRs, commas).
    trusted_proxies: str = "127.0.0.1/32,::1"
    # Login throttling per (username, address): free failures, then waits of 1 s, 2 s, 4 s …
    login_max_failures: int = Field(default=5, ge=1)
    login_max_delay_seconds: int = Field(default=900, ge=1)
    # Failed logins one address may make per window, whatever the usernames (a NAT of many users).
    login_address_max_failures: int = Field(default=100, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    ask_rate_per_minute: int = Field(default=60, ge=1)
    chat_rate_per_minute: int = Field(default=20, ge=1)
    practice_rate_per_minute: int = Field(default=30, ge=1)
    token_ttl_seconds: int = Field(default=12 * 3600, ge=60)
    # Measure 34 names no figure: each province sets its own yearly credits for staff.
    staff_required_credits: float = Field(default=4.0, ge=0)
    staff_elective_credits: float = Field(default=2.0, ge=0)
    # Bounded input (core/uploads.py, core/tabular.py): upload sizes per kind of file, in MB.
    # The byte caps apply to uploads through the web; the command line has none, every other cap
    # applies to both.
    max_upload_mb_table: int = Field(default=50, ge=1)  # CSV/XLSX imports of every kind
    max_upload_mb_document: int = Field(default=100, ge=1)  # knowledge documents
    max_upload_mb_video: int = Field(default=500, ge=1)  # course videos
    max_upload_mb_attachment: int = Field(default=50, ge=1)  # lesson attachments
    max_upload_mb_evidence: int = Field(default=20, ge=1)  # external training certificates
    max_upload_mb_evaluation: int = Field(default=5, ge=1)  # knowledge evaluation sets (.jsonl)
    # .xlsx/.docx are ZIP files: their directory is checked before any parser opens them.
    max_unpacked_mb_table: int = Field(default=500, ge=1)
    max_unpacked_mb_document: int = Field(default=200, ge=1)
    # One XML part that a parser holds in memory whole (shared strings, a Word document's body;
    # not worksheets, which openpyxl streams): python-docx needs ~9x the part's size.
    max_xml_part_mb_table: int = Field(default=100, ge=1)
    max_xml_part_mb_document: int = Field(default=32, ge=1)
    max_zip_entries: int = Field(default=1000, ge=10)
    max_zip_ratio: int = Field(default=100, ge=10)  # Apache POI's zip-bomb threshold (1 %)
    # Imports: Excel's own row limit; tables validated as a whole (question bank, FAQ, class
    # rosters) are held in memory and get a lower cap.
    import_max_rows: int = Field(default=1_048_576, ge=1)
    import_max_rows_in_memory: int = Field(default=100_000, ge=1)
    import_max_cells: int = Field(default=20_000_000, ge=1)
    import_errors_shown: int = Field(default=100, ge=1)
    # A second import waits this long for the running one, then gets a 409.
    import_wait_seconds: float = Field(default=10.0, ge=0, le=600)
    # Registry, course and training files from this size on are checked and written in a child
    # process (core.import_process), so the server's other requests keep the interpreter.
    import_child_process_min_kb: int = Field(default=512, ge=0)
    pdf_max_pages: int = Field(default=3000, ge=1)
    document_max_chars: int = Field(default=5_000_000, ge=1000)

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("只支持 sqlite:/// 或 postgresql:// 开头的数据库地址")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _known_networks(cls, value: str) -> str:
        parse_networks(value)
        return value

    @property
    def trusted_networks(self) -> tuple[IPNetwork, ...]:
        """``trusted_proxies`` parsed into networks."""
        return parse_networks(self.trusted_proxies)

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the driver SQLAlchemy should use (psycopg 3 for PostgreSQL)."""
        return normalise_database_url(
            self.database_url or f"sqlite:///{self.data_dir / 'permithub.db'}"
        )

    def secret(self) -> str:
        """The signing key; generated once into ``DATA_DIR/secret_key`` when not configured."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=8)
def parse_networks(value: str) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or CIDRs as networks; a bad entry is a ValueError in Chinese."""
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"“{item}”不是 IP 地址或网段（如 10.0.0.0/8）") from None
    return tuple(networks)


def normalise_database_url(url: str) -> str:
    """Map plain ``postgresql://`` URLs to the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache after changing the environment)."""
    return Settings()
