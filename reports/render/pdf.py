"""PDF through WeasyPrint: tagged PDF/UA-1 with the document language, fonts embedded
(Liberation Sans from the machine's files), a title page, table headers repeated on every
page, page numbers and the cooperation's address in the footer.

WeasyPrint lays out about 5 ms of CPU per table row, on one core. A long document (the
overview of thousands of projects) is therefore laid out in parts, one forked process per
core: the top-level sections in runs of about equal work (a part starts on a new page).
Each part tells the parent how many pages it has before it draws its page numbers, so every
part numbers its pages "Page n of N" of the whole. The parts are joined into one tagged PDF
(reports.render.pdfjoin): their pages, their structure trees under one Document element,
the parent tree renumbered, the outline under the title's entry.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
from multiprocessing.connection import Connection

from reports.document import Document, Section, Table
from reports.render import pdfjoin
from reports.render.html import render_html

logger = logging.getLogger(__name__)

PARALLEL_ROWS = 600
"""From this many table rows a PDF is laid out in parts (below it a fork does not pay)."""
MIN_PART_ROWS = 200
"""A run smaller than this joins the part before it."""
MAX_PARTS = 4
PART_SECONDS = 600


def _write(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url="/").write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(doc: Document) -> bytes:
    groups = parts_of(doc, _workers())
    if len(groups) > 1:
        try:
            return _parallel(doc, groups)
        except Exception:  # a part failed or processes cannot be started: one process
            logger.exception("The PDF in parts failed; laying it out in one process")
    return _write(render_html(doc, for_pdf=True))


def _workers() -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, MAX_PARTS)


def _rows(section: Section) -> int:
    return 1 + sum(len(b.rows) for b in section.blocks if isinstance(b, Table))


def _work(section: Section) -> float:
    """About how long a section takes to lay out: its cells and their text (20 characters
    cost about a cell: a table of two short columns is cheaper than one of seven)."""
    return 1 + sum(
        len(row) + sum(len(str(cell)) for cell in row if cell is not None) / 20
        for block in section.blocks
        if isinstance(block, Table)
        for row in block.rows
    )


def parts_of(doc: Document, workers: int) -> list[list[Section]]:
    """The sections in at most `workers` runs of about equal work, cut only before a
    top-level section (its sub-sections stay with it); one run when the document is short."""
    if workers < 2 or doc.empty or sum(_rows(s) for s in doc.sections) < PARALLEL_ROWS:
        return [doc.sections]
    total = sum(_work(s) for s in doc.sections)
    runs: list[list[Section]] = []
    for section in doc.sections:
        if section.level == 1 or not runs:
            runs.append([section])
        else:
            runs[-1].append(section)
    groups: list[list[Section]] = [[]]
    done = 0
    for run in runs:
        weight = sum(_work(s) for s in run)
        cut = done + weight / 2 > total * len(groups) / workers
        if groups[-1] and len(groups) < workers and cut:
            groups.append([])
        groups[-1].extend(run)
        done += weight
    joined: list[list[Section]] = []
    for group in groups:
        if joined and sum(_rows(s) for s in group) < MIN_PART_ROWS:
            joined[-1].extend(group)
        else:
            joined.append(group)
    return joined


def _part(html: str, conn: Connection) -> None:
    """In the forked process: lay out one part, send its number of pages, receive the
    number of pages before it and in the whole, number the pages so, send the PDF."""
    from weasyprint import layout

    original = layout.make_margin_boxes
    numbering: list[int] = []

    def margin_boxes(context, page, state):
        if not numbering:
            conn.send(state[1]["pages"][0])
            numbering.extend(conn.recv())
        offset, total = numbering
        values = dict(state[1])
        values["page"] = [value + offset for value in values.get("page", [0])]
        values["pages"] = [total]
        return original(context, page, (state[0], values, *state[2:]))

    layout.make_margin_boxes = margin_boxes
    conn.send(_write(html))
    conn.close()


def _parallel(doc: Document, groups: list[list[Section]]) -> bytes:
    count = len(groups)
    htmls = [
        render_html(dataclasses.replace(doc, sections=group), for_pdf=True, part=(i, count))
        for i, group in enumerate(groups)
    ]
    context = multiprocessing.get_context("fork")
    processes, conns = [], []
    try:
        for html in htmls:
            ours, theirs = context.Pipe()
            process = context.Process(target=_part, args=(html, theirs))
            process.start()
            theirs.close()
            processes.append(process)
            conns.append(ours)
        counts = [_receive(conn) for conn in conns]
        if not all(isinstance(pages, int) for pages in counts):
            # WeasyPrint no longer makes margin boxes through the function patched above.
            raise RuntimeError("a part did not report its pages before numbering them")
        offset = 0
        for conn, pages in zip(conns, counts, strict=True):
            conn.send((offset, sum(counts)))
            offset += pages
        pdfs = [_receive(conn) for conn in conns]
    finally:
        for conn in conns:  # a part still waiting for its numbering ends at once
            conn.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
    return pdfjoin.join(pdfs)


def _receive(conn: Connection):
    if not conn.poll(PART_SECONDS):
        raise TimeoutError("a part of the PDF took too long")
    return conn.recv()
