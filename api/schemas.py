"""The content API's answers as pydantic models: django-ninja checks each answer against them and publishes
them as the OpenAPI schema's components (/api/v1/schema/)."""

from typing import Annotated, Literal

from pydantic import BaseModel as Schema
from pydantic import ConfigDict, Field, WithJsonSchema

# A time as ISO 8601 text, microseconds and offset included (`datetime.isoformat()`). Checked as text: the
# answers are built with the times already written, and parsing them back only to write them again cost
# a third of a page's checking.
datetime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class Error(Schema):
    status: int
    error: str = Field(description="A short code: bad_request, unauthorized, not_found, too_many_requests...")
    message: str = Field(description="What went wrong, for a person.")
    fields: dict[str, str] | None = Field(None, description="For a 400: each parameter that was wrong, and why.")


class SectionRef(Schema):
    id: int
    name: str
    slug: str
    url: str = Field(description="The section's page.")


class Section(SectionRef):
    description: str


class SectionList(Schema):
    items: list[Section]


class AuthorRef(Schema):
    id: int
    name: str
    slug: str
    url: str = Field(description="The author's page.")
    organisation: bool = Field(description="An agency, a desk or “Staff” rather than a person.")


class Author(AuthorRef):
    bio: str


class AuthorPage(Schema):
    items: list[Author]
    next: str | None = Field(description="The next page's URL; null on the last page.")
    next_cursor: str | None


class Topic(Schema):
    id: int
    name: str
    slug: str
    url: str = Field(description="The topic's page.")


class TopicPage(Schema):
    items: list[Topic]
    next: str | None
    next_cursor: str | None


class Byline(Schema):
    role: Literal["by", "additional", "photos"]
    role_label: str = Field(description="As the page shows it: “By”, “Additional reporting by”, “Photos by”.")
    author: AuthorRef


class Rendition(Schema):
    name: str = Field(description="<shape>-<width>-<format>: lead (uncropped), card (3:2) or share (1200x630).")
    url: str
    content_type: str
    width: int
    height: int


class Picture(Schema):
    id: int
    alt: str = Field(description="What the picture shows, for readers who cannot see it.")
    caption: str
    credit: str
    width: int
    height: int
    renditions: list[Rendition]


class Live(Schema):
    open: bool = Field(description="Whether the coverage is still going on.")
    entries_url: str


class StoryCard(Schema):
    id: int
    url: str = Field(description="The story's canonical page.")
    api_url: str
    headline: str
    standfirst: str
    summary: str = Field(description="The standfirst, or the opening of the body when there is none.")
    type: Literal["news", "analysis", "opinion", "review", "explainer", "live"]
    type_label: str
    section: SectionRef
    bylines: list[Byline]
    topics: list[Topic]
    dateline: str
    source: str
    published_at: datetime = Field(description="First published.")
    updated_at: datetime | None = Field(description="Last substantive update or correction; null if none.")
    modified_at: datetime = Field(description="Last saved, any change.")
    expires_at: datetime | None = Field(description="When the story comes down by itself; null if never.")
    word_count: int
    reading_minutes: int
    lead_picture: Picture | None
    live: Live | None = Field(description="For a live story: its coverage; null for any other.")


class Correction(Schema):
    kind: Literal["correction", "clarification"]
    note: str
    created_at: datetime


class RelatedStory(Schema):
    id: int
    headline: str
    url: str
    api_url: str
    published_at: datetime


class Story(StoryCard):
    body: str = Field(description="The story's HTML, sanitised as on its page.")
    corrections: list[Correction]
    related: list[RelatedStory]


class StoryPage(Schema):
    items: list[StoryCard]
    next: str | None = Field(description="The next page's URL; null on the last page.")
    next_cursor: str | None


class SearchHit(StoryCard):
    snippet: str = Field(description="HTML: the body around the first match, the words found in <mark>.")


class SearchPage(Schema):
    query: str
    count: int = Field(description="Matches ranked (at most 200: see `more`).")
    more: bool = Field(description="More stories match than were ranked: narrow by date to reach older ones.")
    notice: str
    suggestion: str = Field(description="“Did you mean”: a spelling that finds more, or empty.")
    items: list[SearchHit]
    next: str | None


class LiveEntry(Schema):
    id: int
    url: str
    headline: str
    title: str = Field(description="The headline, or the body's first words.")
    body: str
    posted_at: datetime
    changed_at: datetime
    key_event: bool
    authors: list[AuthorRef]
    picture: Picture | None


class LiveEntryPage(Schema):
    story: int
    open: bool
    items: list[LiveEntry]
    next: str | None
    next_cursor: str | None


class Index(Schema):
    stories: str
    sections: str
    authors: str
    topics: str
    search: str
    openapi: str = Field(description="This API's OpenAPI 3 schema.")
    docs: str = Field(description="A readable page of the schema.")


# ninjs 2.1 as this API writes it (api/ninjs.py): the parts of IPTC's schema it uses, same names and types.
class NinjsModel(Schema):
    model_config = ConfigDict(extra="forbid")


class NinjsText(NinjsModel):
    role: str | None = None
    contenttype: str | None = None
    value: str


class NinjsBody(NinjsText):
    charcount: int | None = None
    wordcount: int | None = None


class NinjsEntity(NinjsModel):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None


class NinjsInfoSource(NinjsModel):
    name: str | None = None
    role: str | None = None


class NinjsRendition(NinjsModel):
    name: str
    href: str | None = None
    contenttype: str | None = None
    title: str | None = None
    width: int | None = None
    height: int | None = None


class NinjsStandard(NinjsModel):
    name: str
    version: str
    schema_uri: str = Field(alias="schema")


class NinjsPicture(NinjsModel):
    name: str
    uri: str
    type: Literal["picture"]
    representationtype: Literal["partial"]
    renditions: list[NinjsRendition]
    descriptions: list[NinjsText] | None = None
    by: str | None = None


class Ninjs(NinjsModel):
    uri: str
    type: Literal["text"]
    version: str
    versioncreated: datetime
    firstcreated: datetime | None = None
    embargoed: datetime | None = None
    pubstatus: Literal["usable", "withheld", "canceled"]
    standard: NinjsStandard
    representationtype: Literal["full"] | None = None
    language: str | None = None
    slugline: str | None = None
    headlines: list[NinjsText] | None = None
    descriptions: list[NinjsText] | None = None
    bodies: list[NinjsBody] | None = None
    genres: list[NinjsEntity] | None = None
    subjects: list[NinjsEntity] | None = None
    renditions: list[NinjsRendition] | None = None
    by: str | None = None
    people: list[NinjsEntity] | None = None
    organisations: list[NinjsEntity] | None = None
    located: str | None = None
    infosources: list[NinjsInfoSource] | None = None
    expires: datetime | None = None
    associations: list[NinjsPicture] | None = None


class NinjsPage(Schema):
    items: list[Ninjs]
    next: str | None
    next_cursor: str | None
