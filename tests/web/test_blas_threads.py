"""The server answers each question on one thread: numpy's BLAS spins no threads beside it."""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits

from web.main import create_app


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_the_assembled_app_runs_blas_on_one_thread():
    threadpool_limits(limits=2, user_api="blas")  # as numpy starts on a two-core machine
    assert _blas_threads() == {2}
    create_app()
    assert _blas_threads() == {1}
