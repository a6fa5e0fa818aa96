"""
Public Telegram posts, read from the pages Telegram serves without an account: a post's embed
page (t.me/<channel>/<id>?embed=1) and a channel's preview (t.me/s/<channel>), both built of
`tgme_widget_message` blocks. Officials deny on Telegram, so a post imports as a report whose
outlet is the channel, and a channel's preview works as a feed whose denials become leads.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from lxml.html import HtmlElement

MESSAGES = (
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' tgme_widget_message ')]"
    "[@data-post]"
)
POST_URL = re.compile(
    r"^https?://(?:www\.)?t(?:elegram)?\.me/(?:s/)?(?P<channel>\w{3,64})/(?P<id>\d+)"
)
CHANNEL_URL = re.compile(r"^https?://(?:www\.)?t(?:elegram)?\.me/(?:s/)?(?P<channel>\w{3,64})/?$")


@dataclass
class TelegramPost:
    channel: str  # the @username, without the @
    post_id: str
    channel_title: str = ""
    text: str = ""
    published: datetime | None = None
    media: list[str] = field(default_factory=list)
    edited: bool = False

    @property
    def url(self) -> str:
        return f"https://t.me/{self.channel}/{self.post_id}"

    @property
    def headline(self) -> str:
        """The post's first line, cut at a word near 150 characters."""
        line = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        if len(line) <= 150:
            return line
        return line[:150].rsplit(" ", 1)[0] + "…"


def has_posts(text: str) -> bool:
    return "tgme_widget_message" in text[:2_000_000]


def channel_of(url: str) -> str:
    """ "https://t.me/V_Zelenskiy_official/123" → "V_Zelenskiy_official"; "" for other URLs."""
    found = POST_URL.match(url or "") or CHANNEL_URL.match(url or "")
    return found.group("channel") if found else ""


def block_text(node: HtmlElement) -> str:
    """The node's text with <br> as a line break, as Telegram shows it."""
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = "".join(node.itertext())
    return re.sub(r"[ \t]+", " ", re.sub(r"\n{3,}", "\n\n", text)).strip()


def first(node: HtmlElement, css_class: str) -> HtmlElement | None:
    found = node.xpath(
        f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]"
    )
    return found[0] if found else None


def media_of(message: HtmlElement) -> list[str]:
    links = []
    for node in message.xpath(".//*[@style]"):
        found = re.search(r"background-image:\s*url\(['\"]?([^'\")]+)", node.get("style") or "")
        if found and found.group(1).startswith("https://"):
            links.append(found.group(1))
    for node in message.xpath(".//video[@src] | .//source[@src]"):
        links.append(node.get("src"))
    for node in message.xpath(
        ".//a[contains(@class, 'tgme_widget_message_document') or "
        "contains(@class, 'tgme_widget_message_video_player')][@href]"
    ):
        links.append(node.get("href"))
    return list(dict.fromkeys(link for link in links if link))[:20]


def read_posts(tree: HtmlElement) -> list[TelegramPost]:
    """Every post on an embed or preview page, in page order."""
    posts = []
    header = first(tree, "tgme_channel_info_header_title")
    page_title = " ".join(header.itertext()).strip() if header is not None else ""
    for message in tree.xpath(MESSAGES)[:200]:
        channel, _, post_id = (message.get("data-post") or "").partition("/")
        if not channel or not post_id.isdigit():
            continue
        owner = first(message, "tgme_widget_message_owner_name")
        text_node = first(message, "tgme_widget_message_text")
        when = message.xpath(".//time[@datetime]")
        meta = first(message, "tgme_widget_message_meta")
        edited = first(message, "tgme_widget_message_edited") is not None or (
            meta is not None and "edited" in " ".join(meta.itertext()).lower()
        )
        try:
            published = datetime.fromisoformat(when[0].get("datetime")) if when else None
        except ValueError:
            published = None
        posts.append(
            TelegramPost(
                channel=channel,
                post_id=post_id,
                channel_title=(" ".join(owner.itertext()).strip() if owner is not None else "")
                or page_title,
                text=block_text(text_node) if text_node is not None else "",
                published=published,
                media=media_of(message),
                edited=edited,
            )
        )
    return posts


def the_post(tree: HtmlElement, url: str) -> TelegramPost | None:
    """The post an embed page (or a preview page opened at one post) is about."""
    posts = read_posts(tree)
    wanted = POST_URL.match(url or "")
    if wanted:
        for post in posts:
            if (post.channel.lower(), post.post_id) == (
                wanted.group("channel").lower(),
                wanted.group("id"),
            ):
                return post
    return posts[0] if len(posts) == 1 else None
