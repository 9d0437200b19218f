"""`gongfu serve`: the dashboard and the REST API over HTTP (uvicorn)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只听本机）"),
        port: int = typer.Option(8000, "--port", help="端口"),
        workers: int = typer.Option(1, "--workers", help="工作进程数"),
    ) -> None:
        """启动驾驶舱与 REST API（OpenAPI 文档在 /openapi.json）。

        示例: gongfu serve --host 127.0.0.1 --port 8000
        """
        import os

        import uvicorn

        from gongfu.cli import err_console, state
        from gongfu.store.db import open_db

        open_db(state.db_url).engine.dispose()  # fail here, with the fix, on an unmigrated database
        if state.db_url:
            os.environ["GONGFU_DATABASE_URL"] = state.db_url  # the factory reads it in each worker
        err_console.print(f"gongfu 驾驶舱: http://{host}:{port}/  API: http://{host}:{port}/docs")
        uvicorn.run("gongfu.web.app:create_app", factory=True, host=host, port=port, workers=workers)
