"""Demo training materials: a textbook, a handout and slides for the first courses, reviewed, with the
classes that use them, added through the same use case as the 培训材料 dialog (files go into the store).

With the bundled platform (``serve --simulate``) the first sync files them and the simulated regulator
asks, once, for a spot check of one of those courses: the 平台 → 材料抽查 tab then shows an open request
with its deadline (docs/materials.md).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.permissions import Actor
from app.services.materials import MaterialInfo, MaterialInput, add_material
from localdb.models import Course, Klass

#: how many courses get materials (the first ones by name)
COURSES_WITH_MATERIALS = 3
REVIEWER = "教学主管 周老师"
REVIEWED_ON = date(2026, 8, 25)


@dataclass(frozen=True)
class DemoMaterial:
    title: str
    kind: str
    file_name: str
    author: str
    body: str


def _materials(course: str) -> list[DemoMaterial]:
    return [
        DemoMaterial(
            f"《{course}》学员用书（第一册）",
            "textbook",
            "学员用书-第一册.txt",
            "本机构教研组",
            f"{course} 学员用书 第一册\n\n目录\n第一单元 认识与体验\n第二单元 基础练习\n",
        ),
        DemoMaterial(
            f"{course} 第一单元讲义",
            "handout",
            "第一单元讲义.txt",
            "主讲教师",
            f"{course} 第一单元讲义\n\n教学目标：\n1. 了解本单元的基本概念；\n2. 完成课堂练习。\n",
        ),
        DemoMaterial(
            f"{course} 课堂课件（秋季）",
            "slides",
            "秋季课件.txt",
            "本机构教研组",
            f"{course} 秋季课件\n\n第 1 页 课程介绍\n第 2 页 本节内容\n第 3 页 课堂练习\n",
        ),
    ]


def _courses(db: Database) -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, name, live class ids) of the first courses by name."""
    with db.reading() as session:
        courses = session.execute(
            select(Course.id, Course.name)
            .where(Course.deleted_at.is_(None))
            .order_by(Course.name, Course.id)
            .limit(COURSES_WITH_MATERIALS)
        ).all()
        found = []
        for course_id, name in courses:
            klasses = session.scalars(
                select(Klass.id)
                .where(Klass.course_id == course_id, Klass.deleted_at.is_(None))
                .order_by(Klass.name)
            ).all()
            found.append((course_id, name, tuple(klasses[:3])))
        return found


def add_demo_materials(db: Database, actor: Actor) -> list[MaterialInfo]:
    """Add the demo materials (the same content for the same courses every time)."""
    added: list[MaterialInfo] = []
    with tempfile.TemporaryDirectory(prefix="instdesk-demo-materials-") as folder:
        for course_id, name, klasses in _courses(db):
            for material in _materials(name):
                source = Path(folder) / material.file_name
                source.write_text(material.body, encoding="utf-8")
                data = MaterialInput(
                    course_id,
                    material.title,
                    material.kind,
                    "2026秋",
                    material.author,
                    REVIEWER,
                    REVIEWED_ON,
                    klasses,
                )
                added.append(add_material(db, actor, data, source))
    return added
