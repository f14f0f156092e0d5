"""Imports on the catalog page: the file is streamed in (capped), then previewed and committed
by the services in a worker thread while this screen shows the job's progress. The job lives
in the database, so a manager who leaves and comes back finds it (followed again on load)."""

import asyncio
from dataclasses import dataclass, field

import reflex as rx

from ...domain.catalog_csv import MAX_FILE_BYTES, FileRefused, more_line, summary_line
from ...domain.errors import DomainError
from ...services import auth, catalog_admin, catalog_import, import_jobs
from ...services.db import DatabaseUnavailable
from ...services.import_jobs import KINDS, JobView
from ..base import AuthState
from ..tab_tasks import OnePerTab
from .state import CatalogState

POLL_SECONDS = 0.5
FOLLOW_FOR_SECONDS = 3600
RUNS = OnePerTab()  # one upload, commit or follow per tab and kind, in this worker
LABELS = {"previewing": "Checking every row…", "committing": "Importing…", "done": "Imported.", "failed": "Not imported."}


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class JobCard:
    id: int = 0
    status: str = ""  # "": no import yet
    label: str = ""
    tone: str = "blue"  # the label's colour
    filename: str = ""
    percent: int = 0
    progress: str = ""
    summary: str = ""
    errors: list[RowError] = field(default_factory=list)
    more_errors: str = ""
    message: str = ""
    can_commit: bool = False
    running: bool = False
    by: str = ""


def card(job: JobView | None) -> JobCard:
    if job is None:
        return JobCard()
    label = LABELS.get(job.status, "")
    if job.status == "previewed":
        label = (f"{job.error_count:,} {'row needs' if job.error_count == 1 else 'rows need'} fixing: nothing was imported."
                 if job.error_count else "Checked: ready to import.")  # fmt: skip
    summary = summary_line(job.summary) if job.summary else ""
    if summary and job.error_count:
        summary = "The rows without errors: " + summary
    tone = "red" if job.status == "failed" or job.error_count else "green" if job.status == "done" or job.can_commit else "blue"
    if job.summary.get("new_price_lists"):
        names = job.summary["new_price_lists"]
        summary += ". New price lists: " + more_line(names, job.summary.get("new_price_list_count", len(names)))
    if job.summary.get("ignored_columns"):
        names = job.summary["ignored_columns"]
        summary += ". Columns not read: " + more_line(names, job.summary.get("ignored_count", len(names)))
    shown = len(job.errors)
    return JobCard(job.id, job.status, label, tone, job.filename, int(100 * job.done_rows / job.total_rows) if job.total_rows else 0,
                   f"{job.done_rows:,} of {job.total_rows:,} rows" if job.running else "", summary,
                   [RowError(r, m) for r, m in job.errors],
                   f"Showing the first {shown} of {job.error_count:,} errors." if job.error_count > shown else "",
                   job.message, job.can_commit, job.running, job.created_by)  # fmt: skip


class ImportState(AuthState):
    products_job: JobCard = JobCard()
    prices_job: JobCard = JobCard()
    refusal: dict[str, str] = {}

    def _card(self, kind: str, job: JobView | None) -> None:
        setattr(self, f"{kind}_job", card(job))

    @rx.event
    def load(self):
        """The newest import of each kind; one still running is followed."""
        try:
            actor = self._actor()
            jobs = {kind: import_jobs.latest(actor, kind) for kind in KINDS}
        except (DomainError, DatabaseUnavailable):
            return None
        self.refusal = {}
        for kind, job in jobs.items():
            self._card(kind, job)
        return [ImportState.follow(kind) for kind, job in jobs.items() if job and job.running]

    @rx.event(background=True)
    async def upload_products(self, chunks: rx.UploadChunkIterator):
        await self._receive("products", chunks)

    @rx.event(background=True)
    async def upload_prices(self, chunks: rx.UploadChunkIterator):
        await self._receive("prices", chunks)

    async def _receive(self, kind: str, chunks):
        """Take the file (at most MAX_FILE_BYTES), store it as a job, and preview it. Who sends
        it is checked first: nothing of a file is read for anyone but a signed-in manager."""
        async with self:
            token, key = self.session_token, f"{self.router.session.client_token}:{kind}"
            self.refusal = {**self.refusal, kind: ""}
        try:
            await asyncio.to_thread(_require_manager, token)
        except (DomainError, DatabaseUnavailable) as refusal:  # the upload is cut off unread
            async with self:
                self.refusal = {**self.refusal, kind: refusal.message}
            return
        ticket = RUNS.start_if_idle(key)
        if ticket is None:
            async with self:
                self.refusal = {**self.refusal, kind: "An import is already running on this screen: wait for it to finish."}
            return
        try:
            data, name = bytearray(), ""
            async for chunk in chunks:
                name = chunk.filename or name
                data.extend(chunk.data)
                if len(data) > MAX_FILE_BYTES:
                    raise FileRefused(f"The file is over {MAX_FILE_BYTES // 1048576} MB. Split it into smaller files.")
            job_id = await asyncio.to_thread(_start, token, kind, name, bytes(data))
            await self._run(kind, job_id, token, catalog_import.preview)
        except (DomainError, DatabaseUnavailable) as refusal:
            async with self:
                self.refusal = {**self.refusal, kind: refusal.message}
        finally:
            RUNS.finish(key, ticket)

    async def _run(self, kind: str, job_id: int, token: str, work) -> None:
        """Run the service step in a worker thread; show the job's progress until it ends."""
        task = asyncio.ensure_future(asyncio.to_thread(_work, work, token, job_id))
        while True:
            done, _ = await asyncio.wait({task}, timeout=POLL_SECONDS)
            job = task.result() if done else await asyncio.to_thread(_view, token, job_id)
            async with self:
                self._card(kind, job)
            if done:
                return

    @rx.event(background=True)
    async def commit(self, kind: str):
        if kind not in KINDS:
            return
        async with self:
            token, key = self.session_token, f"{self.router.session.client_token}:{kind}"
            job_id = getattr(self, f"{kind}_job").id
            self.refusal = {**self.refusal, kind: ""}
        ticket = RUNS.start_if_idle(key) if job_id else None
        if ticket is None:
            return
        try:
            await self._run(kind, job_id, token, catalog_import.commit)
        except (DomainError, DatabaseUnavailable) as refusal:
            async with self:
                self.refusal = {**self.refusal, kind: refusal.message}
        finally:
            RUNS.finish(key, ticket)
        yield CatalogState.refresh

    @rx.event(background=True)
    async def follow(self, kind: str):
        """A job running elsewhere (another screen, or this one before it was left): read its
        progress until it ends."""
        if kind not in KINDS:
            return
        async with self:
            token, key = self.session_token, f"{self.router.session.client_token}:{kind}"
            job_id = getattr(self, f"{kind}_job").id
        ticket = RUNS.start_if_idle(key) if job_id else None
        if ticket is None:
            return
        try:
            for _ in range(int(FOLLOW_FOR_SECONDS / POLL_SECONDS)):
                await asyncio.sleep(POLL_SECONDS)
                job = await asyncio.to_thread(_view, token, job_id)
                async with self:
                    self._card(kind, job)
                if not job.running:
                    break
        except (DomainError, DatabaseUnavailable):
            pass
        finally:
            RUNS.finish(key, ticket)
        yield CatalogState.refresh


def _require_manager(token: str) -> None:
    catalog_admin.require_manager(auth.actor_for_session(token))


def _start(token: str, kind: str, name: str, data: bytes) -> int:
    return import_jobs.start(auth.actor_for_session(token), kind, name, data)


def _work(work, token: str, job_id: int) -> JobView:
    return work(auth.actor_for_session(token), job_id)


def _view(token: str, job_id: int) -> JobView:
    return import_jobs.view(auth.actor_for_session(token), job_id)
