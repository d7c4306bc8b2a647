"""The words the city-scale generator builds its fictional people, places and texts from (``benchmarks.generate``)."""

# fmt: off
FIRST_NAMES = (
    "Jean-Robert", "Nadia", "Olivier", "Farah", "Thomas", "Amina", "Luc", "Valérie", "Minh", "Gisèle", "Patrice",
    "Claudia", "Yves", "Aline", "Rodrigue", "Mireille", "Bernard", "Sophie", "Karim", "Hélène", "Denis", "Marie-Ève",
    "Stéphane", "Isabelle", "Mathieu", "Geneviève", "Jacques", "Nathalie", "François", "Chantal", "Wilson",
    "Rose-Marie",
    "Jocelyne", "Fritz", "Marjorie", "Emmanuel", "Ketty", "Réginald", "Dieudonné", "Myrlande", "Junior", "Nadège",
    "Frantz", "Évelyne", "Samuel", "Lourdes", "Carline", "Pierre-Louis", "Magalie", "Jonas", "Guerline", "Ricardo",
    "Sandrine", "Benoît", "Catherine", "Étienne", "Mélanie", "Philippe", "Josée", "Alexandre", "Julie", "Martin",
    "Annie", "Sébastien", "Caroline", "Marc-André", "Élise", "Louis", "Camille", "Gabriel", "Léa", "Félix", "Chloé",
    "Antoine", "Maude", "Vincent", "Émilie", "Hugo", "Rosalie", "Youssef", "Fatou", "Moussa", "Aïcha", "Thanh",
    "Linh", "Diego", "Paola", "Ibrahim", "Khadija", "Ngozi", "Kofi",
)

LAST_NAMES = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné", "Ouellet",
    "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard", "Boucher", "Caron",
    "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault",
    "St-Pierre", "Nadeau", "Martin", "Landry", "Martel", "Bédard", "Grenier", "Lessard", "Bernier", "Richard",
    "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance", "Parent", "Blais", "Gosselin", "Désir",
    "Joseph", "Jean-Baptiste", "Pierre", "Louis", "Charles", "Étienne", "Saint-Fleur", "Louissaint", "Augustin",
    "Belizaire", "Célestin", "Dorvil", "Exantus", "Fils-Aimé", "Guerrier", "Hyppolite", "Jean-Louis", "Laguerre",
    "Mompremier", "Noël", "Pierre-Louis", "Saintil", "Toussaint", "Valcourt", "Vilsaint", "Dorsainvil", "Jean-Gilles",
    "Nguyen", "Tran", "Diallo", "Traoré", "Belkacem", "Benali", "Okafor", "Mbeki", "Restrepo", "Ramírez", "Haddad",
    "Khoury", "Ndiaye", "Sow", "Kamara", "Mensah",
)

# (code, name): the departments of the city; the generator adds divisions when it needs more.
DEPARTMENTS = (
    ("DG", "Direction générale"),
    ("BRI", "Bureau des relations internationales"),
    ("TI", "Service des technologies de l'information"),
    ("URB", "Service de l'urbanisme et de la mobilité"),
    ("ENV", "Service de l'environnement"),
    ("FIN", "Service des finances"),
    ("EAU", "Service de l'eau"),
    ("RH", "Service des ressources humaines"),
    ("CULT", "Service de la culture"),
    ("SPVM", "Service de police"),
    ("SIM", "Service de sécurité incendie"),
    ("HAB", "Service de l'habitation"),
    ("GRAND", "Service des grands parcs, du Mont-Royal et des sports"),
    ("INFRA", "Service des infrastructures du réseau routier"),
    ("DEV", "Service du développement économique"),
    ("DIV", "Service de la diversité et de l'inclusion sociale"),
    ("GREF", "Service du greffe"),
    ("JUR", "Service des affaires juridiques"),
    ("EVAL", "Service de l'évaluation foncière"),
    ("APPRO", "Service de l'approvisionnement"),
    ("MAT", "Service du matériel roulant et des ateliers"),
    ("GIM", "Service de la gestion et de la planification des immeubles"),
    ("EXP", "Service de l'expérience citoyenne et des communications"),
    ("CONC", "Service de la concertation des arrondissements"),
    ("AHU", "Arrondissement d'Ahuntsic-Cartierville"),
    ("ANJ", "Arrondissement d'Anjou"),
    ("CDN", "Arrondissement de Côte-des-Neiges–Notre-Dame-de-Grâce"),
    ("LAC", "Arrondissement de Lachine"),
    ("LAS", "Arrondissement de LaSalle"),
    ("IBI", "Arrondissement de L'Île-Bizard–Sainte-Geneviève"),
    ("MHM", "Arrondissement de Mercier–Hochelaga-Maisonneuve"),
    ("MTN", "Arrondissement de Montréal-Nord"),
    ("OUT", "Arrondissement d'Outremont"),
    ("PRF", "Arrondissement de Pierrefonds-Roxboro"),
    ("PMR", "Arrondissement du Plateau-Mont-Royal"),
    ("RDP", "Arrondissement de Rivière-des-Prairies–Pointe-aux-Trembles"),
    ("RPP", "Arrondissement de Rosemont–La Petite-Patrie"),
    ("VSL", "Arrondissement de Saint-Laurent"),
    ("STL", "Arrondissement de Saint-Léonard"),
    ("SO", "Arrondissement du Sud-Ouest"),
    ("VER", "Arrondissement de Verdun"),
    ("VM", "Arrondissement de Ville-Marie"),
    ("VSP", "Arrondissement de Villeray–Saint-Michel–Parc-Extension"),
)

DIVISIONS = (
    "planification",
    "opérations",
    "soutien administratif",
    "projets",
    "ingénierie",
    "relations avec le milieu",
)

# Eligible destination countries (Haïti first) with cities for the partners; a few countries not eligible.
CITIES = {
    "HT": (
        "Port-au-Prince", "Jacmel", "Cap-Haïtien", "Les Cayes", "Gonaïves", "Saint-Marc", "Léogâne", "Petit-Goâve",
        "Jérémie", "Hinche", "Fort-Liberté", "Miragoâne", "Port-de-Paix", "Croix-des-Bouquets", "Pétion-Ville",
        "Delmas", "Carrefour", "Kenscoff", "Ouanaminthe", "Limbé", "Gressier", "Grand-Goâve", "Mirebalais", "Aquin",
    ),
    "SN": ("Dakar", "Thiès", "Saint-Louis", "Ziguinchor"),
    "CM": ("Douala", "Yaoundé", "Bafoussam"),
    "CI": ("Abidjan", "Bouaké", "Yamoussoukro"),
    "MA": ("Rabat", "Casablanca", "Fès", "Marrakech"),
    "DZ": ("Alger", "Oran", "Constantine"),
    "TN": ("Tunis", "Sfax", "Sousse"),
    "VN": ("Hanoï", "Hô Chi Minh-Ville", "Huế", "Đà Nẵng"),
    "LB": ("Beyrouth", "Tripoli", "Saïda"),
    "CO": ("Medellín", "Bogotá", "Cali"),
    "PE": ("Lima", "Cusco", "Arequipa"),
    "ML": ("Bamako", "Ségou", "Mopti"),
    "BF": ("Ouagadougou", "Bobo-Dioulasso"),
    "CD": ("Kinshasa", "Lubumbashi", "Goma"),
    "RW": ("Kigali", "Huye", "Musanze"),
}
NOT_ELIGIBLE = ("US", "FR", "BE", "CH")

# How partner organisations are named, by kind.
PARTNER_NAMES = {
    "municipality": ("Mairie de {city}", "Commune de {city}", "Ville de {city} — Direction technique"),
    "ngo": ("Fondation {word} de {city} (fictive)", "Association {word} — {city}"),
    "university": ("Université de {city} — Faculté des sciences", "Institut de formation municipale de {city}"),
    "government": ("Direction départementale de {city}", "Délégation régionale de {city}"),
    "association": ("Association des maires de la région de {city}", "Intercommunalité de {city}"),
    "other": ("Centre communautaire de {city}", "Coopérative {word} de {city}"),
}
PARTNER_WORDS = ("Lakou Vèt", "Dlo Pwòp", "Solidarité", "Avenir", "Espoir", "Konbit", "Horizon", "Vivre ensemble")

THEMES = (
    "la gestion des matières résiduelles",
    "le compostage des déchets organiques",
    "l'accès à l'eau potable",
    "l'assainissement des quartiers",
    "la planification urbaine",
    "le cadastre et l'adressage",
    "les finances municipales",
    "la mobilité et le transport collectif",
    "la prévention des incendies",
    "la gestion des archives municipales",
    "la participation citoyenne",
    "l'éclairage public solaire",
    "l'entretien des espaces verts",
    "la gestion des risques de catastrophe",
    "les services numériques aux citoyens",
    "la perception des taxes foncières",
)
EXPERTISE = (
    "Ingénierie civile", "Urbanisme participatif", "Gestion financière", "Collecte sélective", "Géomatique",
    "Gestion de projets", "Communication publique", "Sécurité civile", "Traitement de l'eau", "Ressources humaines",
)
ACTIVITIES = (
    "Ateliers avec l'équipe municipale sur {theme}.",
    "Visites de terrain et diagnostic partagé portant sur {theme}.",
    "Formation de formateurs consacrée à {theme}.",
    "Accompagnement de la direction technique dans {theme}.",
)
RESULTS = (
    "Un plan d'action sur {theme} a été adopté par le conseil municipal.",
    "Les outils de suivi de {theme} sont utilisés par l'équipe locale.",
    "Vingt agents ont été formés à {theme}.",
    "Un guide pratique sur {theme} a été rédigé avec le partenaire.",
)
LESSONS = (
    "Prévoir plus de temps pour la concertation avec les élus.",
    "Les solutions simples et peu coûteuses sont adoptées plus vite.",
    "La langue créole facilite la mobilisation des équipes.",
    "Un suivi à distance après la mission est indispensable.",
)
TESTIMONIES = (
    "Une expérience humaine et professionnelle marquante.",
    "J'ai autant appris que j'ai partagé.",
    "",
)
COMMENTS = {
    "manager_request_changes": ("Précise les livrables attendus.", "Ajoute le calendrier détaillé."),
    "manager_reject": ("Absence impossible pendant la période budgétaire.", "L'équipe est déjà réduite à ces dates."),
    "bri_request_changes": ("Ajoutez la lettre d'invitation.", "Le budget du transport est à préciser."),
    "bri_reject": ("Le partenaire n'a pas confirmé l'accueil.", "L'enveloppe du cycle est épuisée pour ce pays."),
    "cancel": ("Avis aux voyageurs : déplacements non essentiels déconseillés.", "Le partenaire a reporté l'accueil."),
    "return_report": ("Détaillez les résultats obtenus.", "Ajoutez les recommandations pour le partenaire."),
    "withdraw": ("Projet reporté à l'an prochain.", ""),
    "accept_report": ("Merci pour ce rapport clair et complet.", ""),
    "manager_approve": ("Belle occasion pour l'équipe.", ""),
}
MILESTONES = (
    "Diagnostic partagé", "Plan d'action adopté", "Formation des équipes", "Équipements livrés",
    "Bilan à mi-parcours", "Évaluation finale", "Mise en service", "Atelier de restitution",
)
EXPENDITURES = (
    "Mission d'expertise", "Achat d'équipement", "Formation", "Atelier de concertation", "Traduction",
    "Location de véhicules", "Études techniques",
)
# The OECD DAC sectors migration 0005 loads (a database made by ``create_all``, as in the tests, has none).
SECTORS = (
    (
        "14020",
        "Distribution d'eau et assainissement – systèmes à grande échelle",
        "Water supply and sanitation – large systems",
    ),
    ("14021", "Distribution d'eau – systèmes à grande échelle", "Water supply – large systems"),
    ("14022", "Assainissement – systèmes à grande échelle", "Sanitation – large systems"),
    ("14030", "Eau potable et assainissement de base", "Basic drinking water supply and basic sanitation"),
    ("14050", "Traitement des déchets", "Waste management and disposal"),
    ("15111", "Gestion des finances publiques", "Public finance management"),
    (
        "15112",
        "Décentralisation et soutien aux administrations infranationales",
        "Decentralisation and support to subnational government",
    ),
    ("15114", "Mobilisation des ressources intérieures", "Domestic revenue mobilisation"),
    ("15150", "Participation démocratique et société civile", "Democratic participation and civil society"),
    ("16010", "Protection sociale", "Social protection"),
    (
        "41010",
        "Politique de l'environnement et gestion administrative",
        "Environmental policy and administrative management",
    ),
    ("43030", "Développement et gestion urbaine", "Urban development and management"),
    ("43060", "Réduction des risques de catastrophe", "Disaster risk reduction"),
)
# fmt: on
