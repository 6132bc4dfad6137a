"""The one synthetic corpus of column-shaped texts, for tests and benchmarks (never written to corpus/).

Thirty-two hand-written scenarios span the periods, regions and themes of the taxonomy; each
carries the period, region and theme a historian would give it. ``synthetic_columns(n, seed)``
cycles through them, varying the reader's name, the opening of the question and the
publication date with a seeded generator, so the same ``n`` and ``seed`` always give the same
corpus. ``extra_words`` lengthens every answer with seeded sentences from templates, so that a
benchmark corpus of hundreds of columns has no two identical texts (the annotate pass would
otherwise analyse each scenario once). ``write_synthetic_corpus`` writes it as ``.txt`` files
plus ``metadata.csv``. Real prose comes from the development corpus (tests/data/wikiwars_columns).
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mrhistory.read import word_count
from mrhistory.schema import frame


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    question: str
    answer: str
    period: str
    region: str
    theme: str


S = Scenario
SCENARIOS: tuple[Scenario, ...] = (
    S("cannae", "How did Hannibal win at Cannae?",
      "How could Hannibal destroy a much larger Roman army at Cannae with troops so far from home?",
      "At the Battle of Cannae, on August 2, 216 BC, Hannibal placed his weakest infantry in the centre of his line and his "
      "African veterans and heavy cavalry on the flanks. As the Roman legions pushed the centre back, the flanks closed "
      "around them in a double envelopment.\n\nThe encircled legionaries could not fight, and perhaps 50,000 soldiers died "
      "in a single afternoon. The tactic of encirclement has been studied by generals ever since.",
      "Ancient", "Europe", "land warfare"),
    S("caesar-death", "What happened to Julius Caesar's body after the Ides of March?",
      "What did the Romans do with Julius Caesar's body after his murder, and where was he buried?",
      "Julius Caesar was killed in the Senate on March 15, 44 BC. His body lay in the Forum, where Mark Antony gave his "
      "funeral speech; the crowd burned it there, on a pyre of benches and furniture, instead of outside the city.\n\n"
      "Caesar was born in 100 BC into an old patrician family, and his career had carried him from Gaul to Egypt. His "
      "adopted son Octavian later built a temple on the site of the cremation, and his legacy shaped the empire.",
      "Ancient", "Europe", "leaders & biography"),
    S("first-crusade", "Why did the First Crusade succeed?",
      "The later crusades failed so often. Why did the First Crusade manage to take Jerusalem?",
      "The First Crusade reached Jerusalem in June 1099 and stormed the city on July 15, 1099. The crusaders profited from "
      "the divisions of the Muslim rulers of Syria and Palestine, who fought one another rather than the newcomers.\n\n"
      "The knights had already survived the siege of Antioch in 1098, where religious enthusiasm, and the discovery of the "
      "Holy Lance, restored their morale. The church preached the crusade as a pilgrimage, and that religious fervour held "
      "the army together.",
      "Medieval", "Middle East", "society & culture"),
    S("agincourt-longbow", "Was the longbow really decisive at Agincourt?",
      "Was the English longbow really the weapon that won the Battle of Agincourt?",
      "On October 25, 1415, Henry V's army, mostly archers, met a much larger French force at Agincourt. The longbow, a "
      "simple weapon of yew, could shoot ten arrows a minute, and its arrows could pierce mail at short range.\n\n"
      "Plate armour, however, was seldom penetrated. The mud of the ploughed field and the narrow front mattered as much as "
      "the bow itself, and the archers finished the fight with swords and mallets. The weapon's reputation owes much to "
      "later chroniclers.",
      "Medieval", "Europe", "weapons & technology"),
    S("armada", "Why did the Spanish Armada fail?",
      "Why did the Spanish Armada fail to invade England in 1588?",
      "The Armada sailed from Lisbon in May 1588 with some 130 ships. In the English Channel the English fleet, with faster "
      "galleons and longer-range guns, harried it for a week, and on the night of August 7, 1588 fireships broke its "
      "formation off Calais.\n\nThe next day the English warships attacked at Gravelines. Driven north into the North Sea, "
      "the Spanish vessels sailed around Scotland and Ireland, and storms wrecked dozens of them. Fewer than half the ships "
      "returned to Spain.",
      "Early Modern", "Europe", "naval war"),
    S("thirty-years-war", "How many people died in the Thirty Years' War?",
      "Is it true that the Thirty Years' War killed a third of the population of Germany?",
      "The Thirty Years' War, fought from 1618 to 1648, devastated the Holy Roman Empire. Armies lived off the land, and "
      "famine, plague and disease killed far more civilians than battles did. Some regions of Germany lost half their "
      "population; others were barely touched.\n\nHistorians now estimate that the empire lost perhaps 20 percent of its "
      "people. Villages were abandoned, trade collapsed, and the peasant economy took generations to recover.",
      "Early Modern", "Europe", "society & culture"),
    S("saratoga", "Why was Saratoga the turning point of the Revolution?",
      "Why do historians call Saratoga the turning point of the American Revolution?",
      "When General John Burgoyne surrendered his army at Saratoga, New York, on October 17, 1777, the Continental Congress gained "
      "what it needed most: a victory that convinced France the rebellion could succeed.\n\nBenjamin Franklin's diplomacy in "
      "Paris turned that victory into the treaty of alliance of February 6, 1778. French recognition, French loans and the "
      "French navy transformed a colonial revolt in America into a world war, and Britain had to defend its empire everywhere.",
      "Age of Revolutions", "Americas", "diplomacy & politics"),
    S("trafalgar", "How did Nelson win at Trafalgar?",
      "What was so revolutionary about Nelson's tactics at Trafalgar?",
      "On October 21, 1805, Vice Admiral Horatio Nelson led 27 ships of the line against 33 French and Spanish warships off "
      "Cape Trafalgar. Instead of fighting line against line, his fleet attacked in two columns that cut the enemy line and "
      "brought on a melee.\n\nBetter gunnery told: the British sailors fired broadside after broadside, and 22 enemy ships "
      "were captured or sunk without the loss of a single British vessel. Nelson himself was killed on the deck of Victory.",
      "Age of Revolutions", "Europe", "naval war"),
    S("napoleon-exile", "What was Napoleon's life like on St Helena?",
      "What was Napoleon's life like during his final exile, and how did he die?",
      "After his defeat at the Battle of Waterloo on June 18, 1815, Napoleon Bonaparte surrendered to the British and was sent to St Helena, where he arrived in October "
      "1815. He dictated his memoirs to his companions, quarrelled with the governor, and worked on his legend.\n\nHis "
      "health declined, and he died on May 5, 1821, most likely of stomach cancer, like his father before him. His body was "
      "returned to France in 1840 and buried at Les Invalides, where his reputation as a leader still draws visitors.",
      "Age of Revolutions", "Europe", "leaders & biography"),
    S("light-brigade", "Who was to blame for the Charge of the Light Brigade?",
      "Who was really responsible for the Charge of the Light Brigade in the Crimean War?",
      "The charge took place at Balaclava, in the Crimea, on October 25, 1854. Lord Raglan's order to the cavalry to prevent "
      "the Russians from carrying away captured guns was vague, and Captain Nolan, who delivered it, pointed the wrong way.\n\n"
      "Lord Lucan and Lord Cardigan sent the Light Brigade down a valley with artillery on three sides. Of some 670 horsemen, "
      "about 110 were killed. The blame has been argued over by historians ever since, and Tennyson's poem fixed the myth "
      "in popular memory.",
      "19th century", "Eastern Europe & Russia", "memory & historiography"),
    S("isandlwana", "How did the Zulus defeat the British at Isandlwana?",
      "How could a Zulu army with spears defeat a British force armed with rifles at Isandlwana?",
      "On January 22, 1879, some 20,000 Zulu warriors attacked the camp of Lord Chelmsford's column at Isandlwana, in "
      "Zululand. Chelmsford had divided his force, and the camp was not entrenched.\n\nThe Zulu regiments advanced in their "
      "classic formation, the horns of the buffalo, enveloping the British infantry. When the soldiers' ammunition ran "
      "low, the line broke. More than 1,300 men of the army died, the worst defeat of a British force by an African army.",
      "19th century", "Africa", "land warfare"),
    S("indian-mutiny", "What caused the Indian Mutiny of 1857?",
      "What caused the sepoys of the East India Company to rebel in 1857?",
      "The rising began at Meerut on May 10, 1857, when sepoys refused cartridges rumoured to be greased with cow and pig "
      "fat, offensive to Hindu and Muslim alike. But the rebellion in India had deeper causes: annexation of princely "
      "states, land taxes, and British contempt for Indian religion and custom.\n\nDelhi, Cawnpore and Lucknow became its "
      "centres. The revolt was crushed by 1858, and the Crown took over the government of India from the company.",
      "19th century", "South Asia", "diplomacy & politics"),
    S("gettysburg-picket", "Why did Lee order Pickett's Charge?",
      "Why did Robert E. Lee order the attack on the Union center on the third day of Gettysburg?",
      "On July 3, 1863, Lee believed the Union army had weakened its center to hold its flanks. After an artillery "
      "barrage, some 12,500 Confederate infantry advanced across open fields toward Cemetery Ridge.\n\nUnion artillery and "
      "rifle fire cut the attacking brigades to pieces; barely half the soldiers returned. The Battle of Gettysburg ended "
      "Lee's invasion of Pennsylvania, and the Army of Northern Virginia retreated to Virginia on July 4, 1863.",
      "American Civil War", "Americas", "land warfare"),
    S("monitor-merrimack", "What happened when the Monitor met the Merrimack?",
      "What happened when the ironclads Monitor and Merrimack fought at Hampton Roads?",
      "On March 9, 1862, the Union ironclad Monitor and the Confederate Virginia, built on the hull of the Merrimack, fought "
      "for four hours at Hampton Roads, Virginia. Neither ship could sink the other.\n\nThe day before, the Virginia had "
      "destroyed two wooden warships of the Union navy. The duel showed every navy in the world that the age of wooden "
      "ships was over, and the blockade of the Confederate coast held.",
      "American Civil War", "Americas", "naval war"),
    S("lincoln-spies", "Did the Confederacy have spies in Washington?",
      "Did the Confederacy run a spy network in Washington during the Civil War?",
      "It did. Rose O'Neal Greenhow, a society hostess, passed coded messages about Union troop movements before the First "
      "Battle of Bull Run in July 1861. Confederate agents used ciphers, couriers and informants throughout the war.\n\nThe "
      "Union answered with Allan Pinkerton's secret service and, from 1863, the Bureau of Military Information, whose "
      "intelligence reports and interrogations of deserters gave General Meade a clear picture of Lee's army at "
      "Gettysburg in July 1863.",
      "American Civil War", "Americas", "intelligence"),
    S("tsushima", "Why was the Russian fleet destroyed at Tsushima?",
      "Why was the Russian Baltic Fleet so badly beaten at Tsushima in 1905?",
      "The Russian Second Pacific Squadron sailed 18,000 miles from the Baltic to the Far East, only to meet Admiral Togo "
      "Heihachiro's fleet in the Tsushima Strait on May 27, 1905. The Japanese battleships were faster, better handled and "
      "fired better shells.\n\nIn two days the Russians lost eight battleships and most of their other vessels. The naval "
      "battle ended the Russo-Japanese War and announced Japan as a sea power in the Pacific.",
      "Early 20th century", "Pacific & East Asia", "naval war"),
    S("somme-first-day", "Why did the British lose so many men on the first day of the Somme?",
      "Why did the British army suffer 57,000 casualties on the first day of the Battle of the Somme?",
      "On July 1, 1916, after a week-long artillery bombardment, British infantry left their trenches expecting to find "
      "the German defences destroyed. But the shells had not cut the barbed wire, and the Germans had sheltered in deep "
      "dugouts.\n\nMachine guns swept no man's land as the battalions advanced at walking pace. By nightfall nearly 20,000 "
      "soldiers were dead. The offensive continued until November 1916 and gained some six miles of the Western Front.",
      "World War I", "Europe", "land warfare"),
    S("red-baron", "Who really shot down the Red Baron?",
      "Who really shot down Manfred von Richthofen, the Red Baron?",
      "Manfred von Richthofen, the most successful fighter pilot of the war with 80 victories, was killed over the Somme "
      "valley in France on April 21, 1918. The Royal Air Force credited Captain Roy Brown, a Canadian pilot flying a Sopwith Camel.\n\n"
      "Most historians now think a single bullet fired from the ground by an Australian machine gunner brought down his "
      "Fokker triplane. The air war over the Western Front had made the ace a celebrity, and airmen on both sides buried "
      "him with full military honours.",
      "World War I", "Europe", "air war"),
    S("zimmermann", "How was the Zimmermann Telegram decoded?",
      "How did the British decode the Zimmermann Telegram, and why did it matter?",
      "In January 1917 the German foreign secretary Arthur Zimmermann sent a coded telegram proposing an alliance with "
      "Mexico if the United States entered the war. British codebreakers of Room 40 intercepted and decrypted it.\n\n"
      "To hide their intelligence success, the British obtained a second copy in Mexico before handing it to the Americans. "
      "Its publication on March 1, 1917 outraged the American public, and Congress declared war in April 1917.",
      "World War I", "Americas", "intelligence"),
    S("versailles", "Was the Treaty of Versailles too harsh?",
      "Was the Treaty of Versailles really so harsh that it caused the next war?",
      "The treaty, signed on June 28, 1919, took territory from Germany, limited its army to 100,000 men and made it accept "
      "responsibility for the war and pay reparations. Germans of every party denounced it.\n\nYet the reparations were "
      "reduced in 1924 and 1929, and Germany's economy recovered in the 1920s. Many historians argue the treaty was too "
      "harsh to conciliate and too weak to restrain, and that the diplomacy of the 1930s, not the treaty, opened the way "
      "to war.",
      "Interwar", "Europe", "diplomacy & politics"),
    S("spanish-civil-war-guernica", "Why did the Germans bomb Guernica?",
      "Why did the Condor Legion bomb the town of Guernica during the Spanish Civil War?",
      "On April 26, 1937, bombers of the German Condor Legion and Italian aircraft attacked Guernica, a Basque town behind "
      "the Republican front. The raid was meant to destroy a bridge and roads and block the retreat of Republican troops.\n\n"
      "The bombing destroyed most of the town and killed hundreds of civilians. Picasso's painting made Guernica the symbol "
      "of air power turned against cities, and the Luftwaffe drew its own lessons for the air war to come.",
      "Interwar", "Europe", "air war"),
    S("midway-codebreakers", "How did the Americans know the Japanese would attack Midway?",
      "How did the U.S. Navy know in advance that the Japanese would attack Midway?",
      "Navy codebreakers at Station Hypo in Hawaii had partly broken the Japanese naval code JN-25. In May 1942 they knew an "
      "attack on a target called 'AF' was coming, and a false radio message about Midway's water supply confirmed it.\n\n"
      "Admiral Chester Nimitz placed his three carriers northeast of Midway. On June 4, 1942, dive bombers from Enterprise "
      "and Yorktown sank three Japanese carriers in minutes, and a fourth later that day. Intelligence had turned the "
      "Pacific war.",
      "World War II", "Pacific & East Asia", "intelligence"),
    S("battle-of-britain-radar", "How important was radar in the Battle of Britain?",
      "How important was radar to the RAF in the Battle of Britain?",
      "The Chain Home radar stations along the coast of England detected German bomber formations as they assembled over "
      "France in the summer of 1940. Fighter Command's controllers could send Spitfire and Hurricane squadrons to meet "
      "them instead of flying wasteful patrols.\n\nOn September 15, 1940, the Luftwaffe's great daylight raids on London "
      "were beaten off, and the invasion was postponed. Radar, the pilots and the aircraft factories together won the air "
      "battle.",
      "World War II", "Europe", "air war"),
    S("stalingrad", "Why did the Germans lose at Stalingrad?",
      "Why did the German Sixth Army get trapped at Stalingrad in 1942?",
      "Hitler ordered General Friedrich Paulus to take Stalingrad, on the Volga, in the summer of 1942, and the Sixth Army "
      "was drawn into months of street fighting. On November 19, 1942, the Red Army launched Operation Uranus against the "
      "weak Romanian armies on the flanks.\n\nWithin four days Soviet tank columns met west of the city and encircled "
      "some 300,000 soldiers. Paulus surrendered on January 31, 1943, and the Wehrmacht never recovered on the Eastern "
      "Front.",
      "World War II", "Eastern Europe & Russia", "land warfare"),
    S("u-boats-atlantic", "How were the U-boats defeated in the Atlantic?",
      "How did the Allies finally defeat the German U-boats in the Battle of the Atlantic?",
      "In May 1943 the U-boat fleet lost 41 submarines, and Admiral Karl Donitz withdrew his wolf packs from the North "
      "Atlantic. Convoys now sailed with escort carriers, destroyers and frigates, and long-range aircraft closed the "
      "mid-ocean gap.\n\nNew radar, better depth charges and the breaking of the naval Enigma cipher let the escorts find "
      "the submarines before they struck. Merchant ships sunk each month fell sharply through 1943, and the sea lanes to "
      "Britain stayed open.",
      "World War II", "Europe", "naval war"),
    S("manhattan-project", "How was the atomic bomb built so quickly?",
      "How did the Manhattan Project build an atomic bomb in only three years?",
      "The project, begun in earnest in 1942, built factories on a scale never seen for a weapon. Oak Ridge in Tennessee "
      "enriched uranium, Hanford in Washington State produced plutonium, and the laboratory at Los Alamos, New Mexico, "
      "designed the bomb itself.\n\nEngineers and physicists worked out two designs, a gun-type uranium bomb and an "
      "implosion plutonium bomb. The first nuclear explosion, the Trinity test, took place on July 16, 1945, in the New "
      "Mexico desert.",
      "World War II", "Americas", "weapons & technology"),
    S("home-front-rationing", "What was rationing like in wartime Britain?",
      "What was food rationing like for ordinary families in Britain during the war?",
      "Rationing of bacon, butter and sugar began on January 8, 1940; meat, tea and cheese followed. Each family "
      "registered with a shopkeeper and used ration books, and women kept the household running on very little.\n\n"
      "The government encouraged people to grow vegetables in their gardens, and the diet of many poor families actually "
      "improved. Some rationing in Britain lasted until 1954, long after the war, and shaped the memories of a whole "
      "generation of children.",
      "World War II", "Europe", "society & culture"),
    S("berlin-airlift", "How did the Berlin Airlift work?",
      "How did the Western Allies keep West Berlin supplied by air during the Soviet blockade?",
      "When the Soviets blocked the roads and railways into West Berlin on June 24, 1948, American and British transport "
      "aircraft began flying in food and coal. At its peak a plane landed at Tempelhof airfield every few minutes.\n\n"
      "Pilots flew in three narrow air corridors, and on one day in April 1949 they delivered nearly 13,000 tons. The "
      "Soviets lifted the blockade on May 12, 1949. The airlift was the first great victory of the Cold War for the West.",
      "Cold War", "Europe", "air war"),
    S("cuban-missile-crisis", "How close did the Cuban Missile Crisis come to war?",
      "How close did the Cuban Missile Crisis come to a nuclear war?",
      "On October 16, 1962, President John F. Kennedy learned that the Soviet Union was installing nuclear missiles in "
      "Cuba. He chose a naval quarantine rather than an air strike, and for thirteen days diplomats and leaders negotiated "
      "in secret.\n\nOn October 28, 1962, Nikita Khrushchev agreed to remove the missiles in exchange for an American "
      "pledge not to invade Cuba and the quiet removal of missiles from Turkey. The crisis led to the hotline between "
      "Washington and Moscow and to the treaty banning nuclear tests in 1963.",
      "Cold War", "Americas", "diplomacy & politics"),
    S("cambridge-spies", "How much damage did the Cambridge spies do?",
      "How much damage did Kim Philby and the Cambridge spy ring do to the West?",
      "Kim Philby, recruited by Soviet intelligence in the 1930s, rose to head MI6's section against Soviet espionage. "
      "He betrayed agents sent into Albania after 1949, and his friends Guy Burgess and Donald Maclean passed secret "
      "documents to the KGB.\n\nBurgess and Maclean defected to Moscow in May 1951; Philby followed in January 1963. The "
      "damage to British and American intelligence was enormous, and the affair poisoned trust between the two secret "
      "services for years.",
      "Cold War", "Europe", "intelligence"),
    S("vietnam-memorial", "Why was the Vietnam Veterans Memorial so controversial?",
      "Why was the design of the Vietnam Veterans Memorial in Washington so controversial?",
      "Maya Lin's design, a black granite wall carved with the names of more than 58,000 dead, was chosen in 1981. Some "
      "veterans called it a black gash of shame and demanded a traditional monument with a flag and a statue.\n\nA "
      "compromise added a bronze statue of three soldiers in 1984. Since its dedication on November 13, 1982, the wall has "
      "become one of the most visited memorials in America, and its form has shaped how wars are remembered and "
      "commemorated.",
      "Cold War", "Americas", "memory & historiography"),
    S("bosnia-srebrenica", "Why did the UN fail at Srebrenica?",
      "Why could the UN peacekeepers not prevent the massacre at Srebrenica in 1995?",
      "Srebrenica, in eastern Bosnia, had been declared a safe area by the United Nations in 1993, but the Dutch battalion "
      "guarding it had only light weapons and no mandate to fight. In July 1995 Bosnian Serb forces under Ratko Mladic "
      "overran the enclave.\n\nMore than 8,000 Bosniak men and boys were murdered. The failure of diplomacy and of the UN "
      "led to NATO's air campaign and to the Dayton peace agreement signed on December 14, 1995.",
      "After 1991", "Eastern Europe & Russia", "diplomacy & politics"),
)

ASKERS = ("Tony Dean", "Margaret Hill", "Carlos Ruiz", "Ann Kowalski", "Peter Oduya", "Linda Chen", "Frank Moretti",
          "Susan Blake", "Raj Patel", "Helen Novak", "George Brandt", "Emily Walsh", "Kenji Sato", "Dorothy Price")
ANSWERERS = (("Jon Guttman", "Research Director", "World History"),
             ("Jon Guttman", "Research Director", "Military History"))
OPENERS = ("", "I have wondered about this for years. ", "My grandfather used to argue about this. ",
           "A friend and I have a bet on this. ", "I read something about this recently. ",
           "This came up in my history class. ")
# --- filler sentences (``extra_words``) -----------------------------------------------------------
PEOPLE = ["Adolf Hitler", "Joseph Stalin", "Winston Churchill", "Franklin D. Roosevelt", "Napoleon Bonaparte",
          "Ulysses S. Grant", "Robert E. Lee", "Otto von Bismarck", "Charles de Gaulle", "Erwin Rommel",
          "Isoroku Yamamoto", "Douglas MacArthur", "Chester Nimitz", "Georgy Zhukov", "Julius Caesar",
          "Hannibal Barca", "Frederick the Great", "Horatio Nelson", "George Washington", "Chiang Kai-shek"]
PLACES = ["France", "Germany", "Japan", "the Soviet Union", "Britain", "Italy", "China", "Poland", "Egypt",
          "Virginia", "Gettysburg", "Stalingrad", "Normandy", "Midway", "Okinawa", "Carthage", "Rome", "Moscow",
          "Berlin", "the Pacific", "North Africa", "India", "Korea", "Vietnam", "Prussia", "Austria"]
THINGS = ["the Treaty of Versailles", "Operation Overlord", "the Battle of the Bulge", "the Lend-Lease Act",
          "the Schlieffen Plan", "the B-17 Flying Fortress", "the Tiger tank", "the Congress of Vienna",
          "the Marshall Plan", "the Manhattan Project", "the Battle of Trafalgar", "the Zimmermann Telegram"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
TEMPLATES = [
    "On {date}, {person} ordered his forces toward {place}, a decision that shaped {thing}.",
    "{person} later wrote that {place} had never been the main objective, although {thing} suggested otherwise.",
    "Historians still debate whether {thing} could have succeeded without the support of {place}.",
    "By {year}, the situation in {place} had changed, and {person} had to reconsider {thing}.",
    "The archives opened in the {decade}s show that {person} knew about {thing} as early as {date}.",
    "In the {century} century, armies crossing {place} faced problems of supply that {person} understood well.",
    "Between {year} and {year2}, more than {number} soldiers passed through {place}.",
    "It is worth adding that {person} visited {place} in {month} {year}, shortly before {thing}.",
]




def _filler(rng: random.Random, words: int) -> str:
    """Paragraphs of about ``words`` words of seeded template sentences."""
    paras, current, count = [], [], 0
    while count < words:
        year = rng.randint(1700, 1990)
        sentence = rng.choice(TEMPLATES).format(
            person=rng.choice(PEOPLE), place=rng.choice(PLACES), thing=rng.choice(THINGS),
            date=f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {year}", year=year, year2=year + rng.randint(1, 6),
            decade=(year // 10) * 10, century=f"{year // 100 + 1}th", number=f"{rng.randint(2, 900)},000",
            month=rng.choice(MONTHS))
        current.append(sentence)
        count += len(sentence.split())
        if len(current) >= rng.randint(3, 6):
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return "\n\n".join(paras)


@dataclass(frozen=True)
class SyntheticColumn:
    column_id: str
    title: str
    published: str
    asker: str
    answerer: str
    answerer_title: str
    question: str
    answer: str
    period: str
    region: str
    theme: str

    def text(self) -> str:
        """The column as a HistoryNet page reads when saved as text."""
        name = self.asker.split()[-1]
        return ("Share This Article\n\n" + self.question + "\n\n" + self.asker + "\n\n\n"
                + f"Dear Mr. {name}:\n\n" + self.answer + "\n\n\n\n" + self.answerer + "\n\n"
                + self.answerer_title.replace(", ", "\n\n") + "\n\nMore Questions at Ask Mr. History\n")


def synthetic_corpus(n: int = 40, seed: int = 0, *, extra_words: int = 0) -> list[SyntheticColumn]:
    """``n`` synthetic columns (cycling through the scenarios), the same for the same ``seed``;
    with ``extra_words``, each answer goes on for about that many more words of filler."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        s = SCENARIOS[i % len(SCENARIOS)]
        round_ = i // len(SCENARIOS)
        asker = ASKERS[rng.randrange(len(ASKERS))]
        opener = OPENERS[(rng.randrange(len(OPENERS) - 1) + 1) if round_ else rng.randrange(len(OPENERS))]
        answerer, *title = ANSWERERS[rng.randrange(len(ANSWERERS))]
        published = f"{2008 + rng.randrange(9)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        column_id = s.slug if not round_ else f"{s.slug}-{round_ + 1}"
        answer = s.answer + ("\n\n" + _filler(rng, extra_words) if extra_words else "")
        out.append(SyntheticColumn(column_id, s.title, published, asker, answerer, ", ".join(title),
                                   opener + s.question, answer, s.period, s.region, s.theme))
    return out


def synthetic_columns(n: int = 40, seed: int = 0, *, extra_words: int = 0) -> pd.DataFrame:
    """The synthetic corpus as a ``columns`` table (the reader's schema), sorted by column_id."""
    rows = [{
        "column_id": c.column_id, "source_file": f"{c.column_id}.txt", "format": "txt", "sha256": "",
        "url": "", "title": c.title, "published": c.published, "asker": c.asker, "answerer": c.answerer,
        "answerer_title": c.answerer_title, "question": c.question, "answer": c.answer,
        "question_words": word_count(c.question), "answer_words": word_count(c.answer), "warnings": "",
    } for c in synthetic_corpus(n, seed, extra_words=extra_words)]
    return frame("columns", rows).sort_values("column_id", ignore_index=True)


def synthetic_truth(n: int = 40, seed: int = 0) -> pd.DataFrame:
    """The period, region and theme each synthetic column was written to have."""
    rows = [{"column_id": c.column_id, "period": c.period, "region": c.region, "theme": c.theme}
            for c in synthetic_corpus(n, seed)]
    return pd.DataFrame(rows).astype("string").sort_values("column_id", ignore_index=True)


def write_synthetic_corpus(folder: str | Path, n: int = 40, seed: int = 0, *, extra_words: int = 0) -> Path:
    """Write the synthetic corpus as ``<column_id>.txt`` files plus ``metadata.csv`` (title, published)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    columns = synthetic_corpus(n, seed, extra_words=extra_words)
    for c in columns:
        (folder / f"{c.column_id}.txt").write_text(c.text(), encoding="utf-8")
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["column_id", "title", "published"])
        writer.writerows([c.column_id, c.title, c.published] for c in columns)
    return folder
