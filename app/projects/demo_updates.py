"""Progress updates of two demo projects, with photos drawn here by Pillow (a gradient and a shape: no file in the
repository, nothing downloaded). Fictional people; captions in both languages, consent on some."""

import io
from datetime import date, timedelta

from PIL import Image, ImageDraw, ImageOps
from werkzeug.datastructures import FileStorage

from app.projects import services
from app.projects.models import Project, ProjectUpdate

# Per project code: (days before today, title fr, title en, body fr, body en, published, photos); a photo is
# (colours of the gradient, shape, caption fr, caption en, consent).
UPDATES = {
    "HT-PALMES-MR": [
        (
            75,
            "Les brigades de collecte formées",
            "Collection crews trained",
            "Trente agents des quatre communes ont suivi la formation des brigades de collecte, donnée par deux "
            "contremaîtres du Service de l'environnement.\n\nLes circuits de collecte de Léogâne sont redessinés.",
            "Thirty workers of the four communes followed the collection crews' training, given by two foremen of "
            "the Environment department.",
            True,
            [
                (
                    ("#1b5e20", "#c8e6c9"),
                    "ellipse",
                    "Atelier de formation à Léogâne",
                    "Training workshop in Léogâne",
                    True,
                ),
                (("#0d47a1", "#bbdefb"), "rectangle", "Nouveau circuit de collecte", "New collection route", False),
            ],
        ),
        (
            20,
            "Le plan intercommunal de collecte en consultation",
            "",
            "Le projet de plan intercommunal est présenté aux conseils municipaux ; son adoption est attendue le "
            "mois prochain.",
            "",
            False,
            [(("#e65100", "#ffe0b2"), "triangle", "Séance du conseil municipal de Gressier", "", False)],
        ),
    ],
    "HT-PAP-FISC": [
        (
            160,
            "Le recensement pilote de Bois-Verna terminé",
            "Pilot census of Bois-Verna completed",
            "Les équipes de la mairie ont relevé 1 240 propriétés bâties du quartier Bois-Verna.",
            "The city hall's teams surveyed 1,240 built properties in the Bois-Verna neighbourhood.",
            True,
            [(("#4a148c", "#e1bee7"), "rectangle", "Relevé sur le terrain", "Field survey", True)],
        ),
        (
            12,
            "Le rôle d'évaluation numérisé",
            "The valuation roll digitised",
            "Le rôle d'évaluation foncière est saisi dans le nouveau logiciel ; les premiers avis suivront.",
            "The property valuation roll is entered in the new software; the first notices will follow.",
            False,
            [
                (
                    ("#006064", "#b2ebf2"),
                    "ellipse",
                    "Formation au logiciel du rôle",
                    "Training on the roll software",
                    False,
                ),
                (
                    ("#3e2723", "#d7ccc8"),
                    "triangle",
                    "Archives avant la numérisation",
                    "Archives before digitisation",
                    True,
                ),
            ],
        ),
    ],
}


def demo_image(colours: tuple[str, str], shape: str, size: tuple[int, int] = (900, 600)) -> bytes:
    """A JPEG of a diagonal gradient between ``colours`` with a light ``shape`` in its middle."""
    width, height = size
    gradient = Image.linear_gradient("L").rotate(45, expand=True).resize(size)
    image = ImageOps.colorize(gradient, black=colours[0], white=colours[1])
    draw = ImageDraw.Draw(image)
    box = (width // 3, height // 4, 2 * width // 3, 3 * height // 4)
    if shape == "ellipse":
        draw.ellipse(box, fill="#fafafa", outline="#212121", width=6)
    elif shape == "triangle":
        draw.polygon([(width // 2, box[1]), (box[2], box[3]), (box[0], box[3])], fill="#fafafa", outline="#212121")
    else:
        draw.rectangle(box, fill="#fafafa", outline="#212121", width=6)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def load_updates(projects: dict[str, Project], actor, today: date) -> None:
    for code, updates in UPDATES.items():
        project = projects.get(code)
        if project is None:
            continue
        for days, title_fr, title_en, body_fr, body_en, published, photos in updates:
            data = {
                "update_date": today - timedelta(days=days),
                "title_fr": title_fr,
                "title_en": title_en,
                "body_fr": body_fr,
                "body_en": body_en,
                "published": published,
            }
            update = services.save_update(project, ProjectUpdate(), data, actor, today=today)
            for n, (colours, shape, caption_fr, caption_en, consent) in enumerate(photos, start=1):
                upload = FileStorage(stream=io.BytesIO(demo_image(colours, shape)), filename=f"photo-{n}.jpg")
                texts = {"caption_fr": caption_fr, "caption_en": caption_en, "consent_to_publish": consent}
                services.add_photo(update, upload, texts, actor)
