"""The page's layout of a drawing (ELK's result, in px), sent with exports drawn as on the page."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from gatewise.server.schemas import Number

Coord = Annotated[Number, Field(ge=-1e7, le=1e7)]


class Point(BaseModel):
    """A point of the drawing."""

    model_config = ConfigDict(extra="forbid")
    x: Coord
    y: Coord


class Box(BaseModel):
    """A node's box: top-left corner, width and height."""

    model_config = ConfigDict(extra="forbid")
    x: Coord
    y: Coord
    w: Coord = Field(ge=0)
    h: Coord = Field(ge=0)


class Wire(BaseModel):
    """An edge's polyline and the anchor of its labels (value above, gradient below)."""

    model_config = ConfigDict(extra="forbid")
    points: list[Point] = Field(default_factory=list, max_length=1000)
    label: Point | None = None


class Layout(BaseModel):
    """Node boxes and edge wires by id (the output's wire is "__output__"), and the drawing's size."""

    model_config = ConfigDict(extra="forbid")
    nodes: dict[str, Box]
    edges: dict[str, Wire] = Field(default_factory=dict)
    groups: dict[str, Box] = Field(default_factory=dict)
    width: Coord = Field(gt=0)
    height: Coord = Field(gt=0)
