"""Row 2's ceiling: the barest FastAPI app, one route, served by the same uvicorn as
`okr serve` (`python -m uvicorn benchmarks.bare_app:app`). Whatever `okr serve`'s `/healthz`
costs beyond this is OKR Ledger's own (middleware, handlers, background threads)."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
