"""The one settings object: every environment variable gongfu reads, with the `GONGFU_` prefix.

Read at the edges (the CLI's callback, the web app, the service entry points) through `settings()`, which
builds a fresh object each call so a changed environment (a test's monkeypatch, a new shell) is seen.

    GONGFU_DATABASE_URL     database URL (default sqlite:///gongfu.db in the working directory)
    GONGFU_CLI_REGION       the region a CLI operator acts over without --as (default: the region data's root)
    GONGFU_ACTOR            who CLI writes are recorded as in the audit trail (default cli:<os user>)
    GONGFU_THRESHOLDS       a TOML file overlaying the packaged warning thresholds
    GONGFU_CASE_MODEL       the case classifier's model file (default in the user's data directory)
    GONGFU_CONTACT_KEY      the Fernet key protecting citizens' contacts (default a key file, made once)
    GONGFU_OFFICE_NAME      the issuing office printed on documents (default 〈地区〉共同富裕示范区建设领导小组办公室)
    GONGFU_DOC_PREFIX       the 机关代字 of document numbers (default 〈地区简称〉共富办〈类别〉)
    GONGFU_ZIP_MAX_BYTES    the most an .xlsx/.docx may unpack to (default 200 MiB)
    GONGFU_ZIP_MAX_ENTRIES  the most entries an .xlsx/.docx may hold (default 10000)
    GONGFU_ZIP_MAX_RATIO    the highest compression ratio of one entry (default 500)
    GONGFU_HTTPS            1 when users reach the web server over HTTPS only: HSTS and Secure cookies
    GONGFU_UPLOAD_MAX_BYTES the most one uploaded file may hold (default 20 MiB; requests get a little more)
    GONGFU_IMPORT_JOB_BYTES uploads larger than this import as a background job (default 2 MiB)
    GONGFU_SIGNIN_ACCOUNT_LIMIT         wrong passwords for one account name before a block (default 5)
    GONGFU_SIGNIN_SOURCE_LIMIT          wrong passwords from one address, over all names (default 20)
    GONGFU_SIGNIN_FIRST_BLOCK_SECONDS   the first block; each next one twice as long (default 30)
    GONGFU_SIGNIN_LONGEST_BLOCK_SECONDS the longest block (default 900)
    GONGFU_SIGNIN_WINDOW_SECONDS        failures older than this, with no block since, are forgotten (900)
    GONGFU_DB_POOL_SIZE     PostgreSQL connections each server process keeps open (default 20)
    GONGFU_DB_POOL_OVERFLOW connections it may open beyond those under load (default 20)
    GONGFU_DB_POOL_TIMEOUT  seconds a request waits for a free connection before failing (default 30)

The pool, per process: FastAPI answers sync routes in a thread pool of 40 threads, each holding at most
one connection while it answers, so 20 kept + 20 overflow lets every thread get one without waiting (the
default 5 + 10 made requests queue for 30 s and fail under 50 users). With N uvicorn workers the server
uses at most N × (size + overflow) connections: keep that under PostgreSQL's max_connections (default
100), i.e. 2 workers at the defaults, or lower the pool for more workers.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GONGFU_", extra="ignore")

    database_url: str = "sqlite:///gongfu.db"
    cli_region: str | None = None
    actor: str | None = None
    thresholds: Path | None = None
    case_model: Path | None = None
    contact_key: SecretStr | None = None
    office_name: str | None = None
    doc_prefix: str | None = None
    zip_max_bytes: int = 200 * 1024 * 1024
    zip_max_entries: int = 10_000
    zip_max_ratio: float = 500.0
    https: bool = False
    upload_max_bytes: int = 20 * 1024 * 1024
    import_job_bytes: int = 2 * 1024 * 1024
    signin_account_limit: int = Field(5, ge=1)
    signin_source_limit: int = Field(20, ge=1)
    signin_first_block_seconds: int = Field(30, ge=1)
    signin_longest_block_seconds: int = Field(900, ge=1)
    signin_window_seconds: int = Field(900, ge=1)
    db_pool_size: int = 20
    db_pool_overflow: int = 20
    db_pool_timeout: float = 30.0


def settings() -> Settings:
    """The settings from the environment now."""
    return Settings()
