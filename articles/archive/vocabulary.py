"""The word lists and phrase helpers the synthetic stories are written from."""

import itertools

from articles.models import Article
from people.models import US_STATES

Status = Article.Status


def words(text: str) -> list[str]:
    """A vocabulary written as running text, one entry per word."""
    return text.split()


def phrases(text: str) -> list[str]:
    """A vocabulary written as running text, entries separated by “|”."""
    return [entry.strip() for entry in text.replace("\n", " ").split("|")]


FIRST_NAMES = words("""James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth
William Barbara Richard Susan Joseph Jessica Thomas Sarah Carlos Karen Daniel Lisa Matthew Nancy
Anthony Sandra Mark Ashley Steven Emily Andrew Michelle Joshua Amanda Kevin Melissa Brian Deborah
George Stephanie Timothy Rebecca Ronald Laura Jason Sharon Edward Cynthia Jeffrey Kathleen Ryan
Amy Jacob Angela Gary Helen Nicholas Anna Eric Brenda Jonathan Pamela Priya Nicole Wei Samantha
Justin Katherine Scott Christine Brandon Debra Benjamin Rachel Samuel Carolyn Gregory Janet
Catherine Patrick Maria Frank Heather Raymond Diane Jack Ruth Dennis Julie Olivia Tyler Joyce
Aaron Victoria Adam Kelly Nathan Lauren Henry Christina Zachary Joan Douglas Evelyn Hiroshi Aisha
Youssef Mei Kwame Ngozi Rahul Ananya Mateo Lucia Sofia Omar Leila Dmitri Ingrid Tomas Keiko""")
LAST_NAMES = words("""Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson
White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres
Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez
Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook
Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Watson
Brooks Chavez Wood Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers
Long Ross Foster Jimenez Powell Jenkins Perry Sullivan Bell Coleman Butler Henderson Barnes
Fisher Vasquez Simmons Romero Patterson Hamilton Graham Reynolds Griffin Wallace Moreno West Cole
Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens
Okafor Yamamoto Novak Kowalski Haddad Mensah Singh Osei Larsen Bianchi Dubois Nakamura Adeyemi""")
TOPICS = phrases("""Budget|Tariffs|Fentanyl|Immigration|Elections|Inflation|Housing|Health care|
Climate|Energy|Trade|China|Ukraine|Taxes|Education|Gun policy|Supreme Court|Defense|Cybersecurity|
Artificial intelligence|Water policy|Infrastructure|Agriculture|Veterans|Medicare|Social Security|
Student loans|Drug prices|Border security|Sanctions|Wildfires|Hurricanes|Labor unions|Minimum wage|
Public transit|Broadband|Opioids|Voting rights|Redistricting|Police reform|Abortion|Child care|
Mental health|Antitrust|Banking|Cryptocurrency|Space|Nuclear power|Oil and gas|Electric vehicles|
Farm bill|Foreign aid|NATO|Middle East|Taiwan|Mexico|Semiconductors|Privacy|Social media|Pensions|
Public health|Vaccines|Drought|Fisheries|Tourism|Shipping|Railroads|Aviation|Prisons|Courts""")
ADJECTIVES = words("""new proposed sweeping bipartisan long-delayed controversial temporary
federal emergency stricter expanded revised modest costly overdue disputed landmark limited
ambitious scaled-back narrow multiyear regional national""")
# Headline verbs are in the plural form; a singular actor adds the "s".
HEADLINE_ACTORS = phrases("""Senate Panel|Treasury|White House|Governor|City Council|Federal Judge|
Pentagon|Appeals Court|Mayor|Commerce Department|State Senate|Fed|Supreme Court""")
HEADLINE_ACTORS_PLURAL = phrases("""House Republicans|Democrats|Regulators|State Lawmakers|
Lawmakers|Health Officials|Governors|Senators|Attorneys General|Voters""")
HEADLINE_VERBS = words("""Weigh Back Block Delay Unveil Question Expand Target Reject Approve
Probe Debate Ease Tighten Revive Defend Challenge Fund Scrap Extend""")
POLICY_NOUNS = words("plan bill proposal rule measure program deal overhaul")
HEADLINE_TAILS = phrases("""|||in {state}|After {months}-Month Review|Amid Budget Fight|Ahead of Vote|
as Deadline Nears|Despite Objections|for {year}""")
SUBJECTS = phrases("""The committee|Lawmakers|The agency|State officials|Federal regulators|
The governor|Investigators|The administration|Analysts|Residents|Critics|Supporters of the measure|
The department|Local leaders|Prosecutors|The court|Economists|Advocacy groups|Negotiators|
Industry groups|Several senators|The mayor's office|Budget analysts|Union leaders""")
VERBS = words("""approved rejected delayed questioned defended expanded reviewed announced
proposed criticized outlined revised blocked funded challenged endorsed weighed debated""")
ADVERBIALS = phrases("""on Monday|on Tuesday|on Wednesday|on Thursday|on Friday|late last week|
after months of negotiations|in a closed-door session|earlier this year|despite strong objections|
in a narrow vote|at a public hearing|ahead of the deadline|without much debate|in a lengthy report|
under growing pressure|for the second time this year""")
COSTS = phrases("$2.4 billion|$310 million|$75 million|$1.1 trillion|$18 million|$640 million")
AFFECTED = phrases("""40,000 households|18 states|one in five residents|12,000 workers|
3 million people|most small businesses|every public school""")
# Proper nouns keep their capitals in running text.
PROPER_TOPICS = {"China", "Ukraine", "NATO", "Middle East", "Taiwan", "Mexico", "Supreme Court",
    "Medicare", "Social Security"}  # fmt: skip
CITIES = phrases("""Washington|New York|Chicago|Houston|Phoenix|Philadelphia|San Antonio|Dallas|
Austin|Columbus|Charlotte|Denver|Seattle|Nashville|Detroit|Boston|Portland|Atlanta|Miami|Albany|
Sacramento|Harrisburg|Lansing|Madison|Raleigh|Richmond|Tallahassee""")
CATEGORIES = phrases("""Politics|World|Business|Economy|Technology|Health|Science|Climate|
Education|Justice|Immigration|Defense""")
JOB_TITLES = phrases("""Staff Writer|Senior Political Correspondent|Congressional Reporter|
White House Correspondent|Economics Editor|Health Reporter|Investigative Reporter|Data Reporter|
Climate Correspondent|Courts Reporter|Business Reporter|Foreign Affairs Correspondent|
Technology Reporter|Education Reporter|Deputy Editor|Contributing Writer""")
OUTLETS = phrases("""a regional daily|a public radio station|a wire service|a business weekly|
a local television newsroom|a statehouse bureau""")
DEPARTMENTS = phrases("""State|the Treasury|Energy|Justice|Defense|Health and Human Services|
Homeland Security|Commerce|Agriculture|Education|Transportation|the Interior|Labor""")
COMMITTEES = phrases("""Foreign Affairs|Judiciary|Appropriations|Armed Services|Finance|
Energy and Commerce|Homeland Security|Agriculture|Intelligence|Budget""")
AGENCIES = phrases("""Environmental Protection Agency|Federal Reserve|Federal Trade Commission|
Securities and Exchange Commission|Drug Enforcement Administration|Food and Drug Administration|
Federal Aviation Administration|Centers for Disease Control and Prevention|Census Bureau|
Federal Emergency Management Agency|National Weather Service|Social Security Administration""")
ROLES = phrases("""Spokesperson|Secretary|Deputy Secretary|Director|Press Secretary|
Chief of Staff|Commissioner|Administrator|Senior Adviser|General Counsel""")
QUOTE_CONTEXTS = phrases("""in a statement|during a briefing|at a hearing|at a campaign event|
in an interview|on social media|at a news conference|in a speech""")
JOINT_CONTEXTS = phrases("in a joint statement|in a letter to colleagues|in a joint letter")
DOCUMENT_SOURCES = phrases("""government documents|a court filing|a White House statement|
an agency report|budget documents""")
CREDITS = phrases("""Getty Images|AP Photo|Reuters|Staff photographer|Pool photo|
Courtesy of the governor's office""")
STATE_NAMES = dict(US_STATES)
# Relative frequencies; "scheduled" is a published story dated after the archive's end.
STATUS_WEIGHTS = {"published": 850, "draft": 60, "review": 30, "unpublished": 30, "scheduled": 30}
STATUS_LABELS = {"published": "published", "scheduled": "scheduled", "draft": "drafts",
    "review": "in review", "unpublished": "unpublished"}  # fmt: skip


def zipf_weights(count: int, exponent: float = 1.0, offset: int = 3) -> list[float]:
    """Cumulative Zipf–Mandelbrot weights: a popular head and a long tail of rare picks."""
    return list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(count)))


def in_text(topic: str) -> str:
    """A topic as running text writes it: “tariffs”, but “China”."""
    return topic if topic in PROPER_TOPICS else topic.lower()


def with_article(phrase: str) -> str:
    return f"{'an' if phrase[0] in 'aeiou' else 'a'} {phrase}"


def headline_case(phrase: str) -> str:
    """Capitalise every word, leaving the rest alone: “NATO”, “Long-delayed”."""
    return " ".join(word[0].upper() + word[1:] for word in phrase.split())


def sentence_case(phrase: str) -> str:
    return phrase[0].lower() + phrase[1:]


def join_names(names: list[str]) -> str:
    """“A”, “A and B”, “A, B and C”."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
