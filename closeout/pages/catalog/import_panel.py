"""An import card: choose a CSV (or drop it), see every row checked with a progress bar, the
rows to fix with their numbers, or what would change; then Import, all or nothing."""

import reflex as rx

from ...components.layout import TOUCH
from ...components.upload import labelled_upload
from ...domain.catalog_csv import MAX_FILE_BYTES
from .import_state import ImportState, JobCard, RowError


def error_row(error: RowError) -> rx.Component:
    return rx.table.row(rx.table.cell(error.row, white_space="nowrap"), rx.table.cell(error.message), class_name="import-error")


def _errors(job: JobCard) -> rx.Component:
    return rx.cond(
        job.errors.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(rx.table.column_header_cell("Row"), rx.table.column_header_cell("What to fix"))),
                rx.table.body(rx.foreach(job.errors, error_row)),
                width="100%", variant="surface", size="1",
            ),
            rx.cond(job.more_errors != "", rx.text(job.more_errors, size="2", color_scheme="gray", margin_top="6px")),
            max_height="320px", overflow_y="auto", width="100%",
        ),
    )  # fmt: skip


def _status(kind: str, job: JobCard) -> rx.Component:
    return rx.cond(
        job.status != "",
        rx.vstack(
            rx.flex(
                rx.badge(job.filename, variant="soft", color_scheme="gray", size="2"),
                rx.text(job.label, weight="medium", color_scheme=rx.match(job.tone, ("red", "red"), ("green", "green"), "blue"), id=f"{kind}-import-status"),
                rx.text("by ", job.by, size="1", color_scheme="gray"),
                gap="8px", align="center", wrap="wrap",
            ),
            rx.cond(job.running, rx.vstack(rx.progress(value=job.percent, max=100, width="100%", id=f"{kind}-import-progress"),
                                           rx.text(job.progress, size="1", color_scheme="gray"), width="100%", spacing="1")),
            rx.cond(job.message != "", rx.callout(job.message, icon="circle-alert", color_scheme="red", width="100%")),
            rx.cond(job.summary != "", rx.text(job.summary, size="2", id=f"{kind}-import-summary")),
            _errors(job),
            rx.cond(job.can_commit, rx.button(rx.icon("database"), "Import", on_click=ImportState.commit(kind), size="3",
                                              min_height=TOUCH, id=f"{kind}-import-commit")),
            spacing="3", width="100%",
        ),
    )  # fmt: skip


def import_panel(kind: str, title: str, hint: str, job: JobCard) -> rx.Component:
    handler = ImportState.upload_products if kind == "products" else ImportState.upload_prices
    upload_id = f"{kind}-file"
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4"),
            rx.text(hint, size="2", color_scheme="gray"),
            labelled_upload(
                rx.flex(rx.icon("file-up", size=20), rx.text("Choose a CSV file, or drop it here"), gap="8px", align="center"),
                id=upload_id, accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"]}, max_files=1, multiple=False,
                max_size=MAX_FILE_BYTES, disabled=job.running,
                on_drop=handler(rx.upload_files_chunk(upload_id=upload_id)),
                border="1px dashed var(--gray-8)", border_radius="8px", padding="12px 16px", min_height=TOUCH,
                width="100%", cursor="pointer", display="flex", align_items="center", class_name="import-drop",
                label=f"{title}: the CSV file",
            ),
            rx.cond(ImportState.refusal.get(kind, "") != "",
                    rx.callout(ImportState.refusal.get(kind, ""), icon="circle-alert", color_scheme="red", width="100%")),
            _status(kind, job),
            spacing="3", width="100%",
        ),
        width="100%", id=f"{kind}-import",
    )  # fmt: skip
