"""An interview plan as Markdown, HTML (a fillable, printable page) or JSON, with the
scorecard the interviewer fills in: per question notes, hints used and "seen it before?",
ratings on four areas and an overall recommendation.
"""

from __future__ import annotations

import json

from question_bank.plan import RATING_AREAS, RATING_SCALE, RECOMMENDATIONS, Plan


def clock(minute: int) -> str:
    return f"{minute // 60}:{minute % 60:02d}"


def to_json(plan: Plan) -> str:
    return json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n"


def to_markdown(plan: Plan) -> str:
    kata = f" + livecoding `{plan.kata.id}`" if plan.kata else ""
    out = [
        f"# Interview plan: {plan.level.value} level, {plan.minutes} minutes{kata}",
        "",
        f"Reproduce with `{plan.command()}`.",
        "",
        "| Block | Minutes | Clock |",
        "|---|---:|---|",
    ]
    for block in plan.blocks:
        out.append(f"| {block.title} | {block.minutes} | "
                   f"{clock(block.start)}–{clock(block.start + block.minutes)} |")
    out += [f"| **Total** | **{plan.minutes}** | |", ""]
    number = 0
    for block in plan.blocks:
        out += [f"## {block.title} ({block.minutes} min, "
                f"{clock(block.start)}–{clock(block.start + block.minutes)})", ""]
        if block.work:
            out += [block.work, ""]
        if block.kind == "candidate-questions":
            out += ["Leave this time for the candidate's own questions.", "",
                    "- Notes: ____________________", ""]
        for item in block.items:
            number += 1
            q = item.question
            out += [f"### Q{number}. {q.question} ({item.minutes} min)", "",
                    f"`{q.id}` · {q.level.value} · difficulty {q.difficulty}/5 · {q.kind.value}",
                    "", f"**Expect:** {q.short_answer}", "", "**Listen for:**", ""]
            out += [f"- {point}" for point in q.key_points]
            out += ["", f"**Strong:** {q.rubric.strong}  ", f"**Adequate:** {q.rubric.adequate}  ",
                    f"**Weak:** {q.rubric.weak}", ""]
            if q.hints:
                out += ["**Hints if stuck:** " + " → ".join(q.hints), ""]
            if q.follow_ups:
                out += ["**Follow-ups:** " + " / ".join(q.follow_ups), ""]
            out += ["- Notes: ____________________",
                    "- Hints used: [ ] none [ ] 1 [ ] 2 or more",
                    "- Seen it before? [ ] yes [ ] no", ""]
    scale = " ".join(f"[ ] {n}" for n in RATING_SCALE)
    out += ["## Scorecard", "", f"Rate each area from {RATING_SCALE[0]} (weak) to "
            f"{RATING_SCALE[-1]} (strong).", "", "| Area | Rating | Notes |", "|---|---|---|"]
    out += [f"| {area.capitalize()} | {scale} | |" for area in RATING_AREAS]
    out += ["", "**Overall:** " + " ".join(f"[ ] {r}" for r in RECOMMENDATIONS), ""]
    return "\n".join(out)


def to_html(plan: Plan) -> str:
    from question_bank.export import html_environment

    template = html_environment().get_template("plan.html.j2")
    return template.render(plan=plan, clock=clock, areas=RATING_AREAS, scale=RATING_SCALE,
                           recommendations=RECOMMENDATIONS)


RENDERERS = {"md": to_markdown, "html": to_html, "json": to_json}
