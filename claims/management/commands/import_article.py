"""
Import one article from a URL or a local HTML file.

    manage.py import_article <url-or-path> [--dry-run] [--format json] [--outlet NAME]

--dry-run prints what was extracted and suggested and saves nothing. Without it the report is
saved (once per canonical URL: a second run changes nothing and lists what differs).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.importer.extract import ExtractError
from claims.importer.fetch import FetchError, fetch
from claims.importer.pipeline import (
    confirm,
    confirmation_from_article,
    existing_report,
    read_article,
    report_diff,
)
from claims.importer.similar import similar_claims
from claims.importer.suggest import suggest
from claims.models import ImportJob


class Command(BaseCommand):
    help = "Import an article from a URL or an HTML file (see --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="an http(s) URL or a path to an HTML file")
        parser.add_argument("--dry-run", action="store_true", help="extract only; save nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--url", default="", help="the page's URL when reading a file")
        parser.add_argument("--outlet", default="", help="outlet name to file the report under")

    def handle(self, *args, source: str, dry_run: bool, format: str, url: str, outlet: str, **_):
        job = ImportJob(url="")
        try:
            if source.startswith(("http://", "https://")) or "://" in source:
                fetched = fetch(source)
                content, charset, page_url = fetched.content, fetched.charset, fetched.url
                job.url, job.fetched_url, job.status_code = source, fetched.url, 200
                job.content_type, job.fetched_at = fetched.content_type, fetched.fetched_at
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"No such file: {source}")
                content, charset, page_url = path.read_bytes(), "", url
            article = read_article(content, url=page_url, charset=charset)
        except (FetchError, ExtractError) as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Could not read {source}: {error.strerror}") from None
        suggestion = suggest(title=article.title, body=article.body, outlet=article.outlet)
        if dry_run:
            self.show(article, suggestion, format)
            return
        job.source = content
        report = existing_report(article)
        if report is not None:
            changes = report_diff(report, article)
            result = {"created": False, "report": report.pk, "differences": sorted(changes)}
            message = f"Report {report.pk} is already on file ({report.link}); nothing changed."
            if changes:
                message += " The page now differs in: " + ", ".join(sorted(changes)) + "."
                message += " Re-import it on the desk to choose which changes to take."
        else:
            created = confirm(
                confirmation_from_article(article, outlet_name=outlet), by=None, job=job
            )
            report = created.report
            result = {
                "created": True,
                "report": report.pk,
                "outlet": report.outlet.name,
                "snapshot": created.snapshot.sha256 if created.snapshot else None,
            }
            message = (
                f"Created report {report.pk} “{report.title}” for {report.outlet.name}"
                f" with snapshot {created.snapshot.sha256[:12] if created.snapshot else '-'}."
            )
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(message)

    def show(self, article, suggestion, format: str) -> None:
        data = {
            "url": article.canonical_url or article.url,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "byline": article.byline,
            "outlet": article.outlet,
            "language": article.language,
            "tags": article.tags,
            "body": article.body,
            "quotes": article.quotes,
            "related": [
                {"title": link.title, "url": link.url, "published": link.published}
                for link in article.related
            ],
            "suggestion": (
                {
                    key: getattr(suggestion, key)
                    for key in ("claim", "claimant", "responder", "stance", "attribution", "quote")
                }
                if suggestion
                else None
            ),
            # Claims already logged that look like the suggested one, in any language.
            "similar": [
                {"slug": claim.slug, "score": claim.similarity, "language": claim.language}
                for claim in similar_claims(
                    suggestion.claim if suggestion else "", language=article.language or ""
                )
            ],
        }
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for key, value in data.items():
            if key == "body":
                value = (value[:300] + "…") if len(value) > 300 else value
            self.stdout.write(f"{key}: {value}")
