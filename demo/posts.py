"""Demo articles, written for Charcot's demo. References point to published studies."""

# Reference tuples: (authors, title, journal, year, volume, pages, doi, pmid, note)
AFFIRM = ("Polman CH, O'Connor PW, Havrdova E, et al.", "A randomized, placebo-controlled trial of natalizumab for relapsing multiple sclerosis", "N Engl J Med", 2006, "354", "899-910", "10.1056/NEJMoa044397", "16510744", "The pivotal trial that established natalizumab's effect on relapses.")  # fmt: skip
BLOOMGREN = ("Bloomgren G, Richman S, Hotermans C, et al.", "Risk of natalizumab-associated progressive multifocal leukoencephalopathy", "N Engl J Med", 2012, "366", "1870-1880", "10.1056/NEJMoa1107829", "22591293", "This report describes the three risk factors used to stratify PML risk.")  # fmt: skip
RYERSON = ("Ryerson LZ, Foley J, Chang I, et al.", "Risk of natalizumab-associated PML in patients with MS is reduced with extended interval dosing", "Neurology", 2019, "93", "e1452-e1462", "10.1212/WNL.0000000000008243", "31515290", "A registry analysis comparing standard and extended dosing intervals.")  # fmt: skip
BJORNEVIK = ("Bjornevik K, Cortese M, Healy BC, et al.", "Longitudinal analysis reveals high prevalence of Epstein-Barr virus associated with multiple sclerosis", "Science", 2022, "375", "296-301", "10.1126/science.abj8222", "35025605", "Serial blood samples from US military personnel before MS onset.")  # fmt: skip
LANZ = ("Lanz TV, Brewer RC, Ho PP, et al.", "Clonally expanded B cells in multiple sclerosis bind EBV EBNA1 and GlialCAM", "Nature", 2022, "603", "321-327", "10.1038/s41586-022-04432-7", "35073561", "Proposes molecular mimicry between a viral and a glial protein.")  # fmt: skip
OPERA = ("Hauser SL, Bar-Or A, Comi G, et al.", "Ocrelizumab versus interferon beta-1a in relapsing multiple sclerosis", "N Engl J Med", 2017, "376", "221-234", "10.1056/NEJMoa1601277", "28002679", "The OPERA I and II trials.")  # fmt: skip
ORATORIO = ("Montalban X, Hauser SL, Kappos L, et al.", "Ocrelizumab versus placebo in primary progressive multiple sclerosis", "N Engl J Med", 2017, "376", "209-220", "10.1056/NEJMoa1606468", "28002688", "The first positive phase 3 trial in primary progressive MS.")  # fmt: skip
ASCLEPIOS = ("Hauser SL, Bar-Or A, Cohen JA, et al.", "Ofatumumab versus teriflunomide in multiple sclerosis", "N Engl J Med", 2020, "383", "546-557", "10.1056/NEJMoa1917246", "32757523", "")  # fmt: skip
MUNGER = ("Munger KL, Levin LI, Hollis BW, Howard NS, Ascherio A", "Serum 25-hydroxyvitamin D levels and risk of multiple sclerosis", "JAMA", 2006, "296", "2832-2838", "10.1001/jama.296.23.2832", "17179460", "A nested case-control study in stored military serum samples.")  # fmt: skip
ASCHERIO_D = ("Ascherio A, Munger KL, White R, et al.", "Vitamin D as an early predictor of multiple sclerosis activity and progression", "JAMA Neurol", 2014, "71", "306-314", "10.1001/jamaneurol.2013.5993", "24445558", "")  # fmt: skip
REBUILD = ("Green AJ, Gelfand JM, Cree BA, et al.", "Clemastine fumarate as a remyelinating therapy for multiple sclerosis (ReBUILD)", "Lancet", 2017, "390", "2481-2489", "10.1016/S0140-6736(17)32346-2", "29029896", "A crossover trial using visual evoked potential latency as the outcome.")  # fmt: skip
SYNERGY = ("Cadavid D, Mellion M, Hupperts R, et al.", "Safety and efficacy of opicinumab in patients with relapsing multiple sclerosis (SYNERGY)", "Lancet Neurol", 2019, "18", "845-856", "10.1016/S1474-4422(19)30137-1", "31285147", "")  # fmt: skip
LUBLIN = ("Lublin FD, Reingold SC, Cohen JA, et al.", "Defining the clinical course of multiple sclerosis: the 2013 revisions", "Neurology", 2014, "83", "278-286", "10.1212/WNL.0000000000000560", "24871874", "")  # fmt: skip
KAPPOS_PIRA = ("Kappos L, Wolinsky JS, Giovannoni G, et al.", "Contribution of relapse-independent progression vs relapse-associated worsening to overall confirmed disability accumulation in typical relapsing multiple sclerosis", "JAMA Neurol", 2020, "77", "1132-1140", "10.1001/jamaneurol.2020.1568", "32511687", "Pooled analysis of the OPERA trials.")  # fmt: skip
PRIMS = ("Confavreux C, Hutchinson M, Hours MM, Cortinovis-Tourniaire P, Moreau T", "Rate of pregnancy-related relapse in multiple sclerosis", "N Engl J Med", 1998, "339", "285-291", "10.1056/NEJM199807303390501", "9682040", "The PRIMS cohort of 254 women.")  # fmt: skip
VUKUSIC = ("Vukusic S, Hutchinson M, Hours M, et al.", "Pregnancy and multiple sclerosis (the PRIMS study): clinical predictors of post-partum relapse", "Brain", 2004, "127", "1353-1360", "10.1093/brain/awh152", "15130950", "")  # fmt: skip
EXPAND = ("Kappos L, Bar-Or A, Cree BAC, et al.", "Siponimod versus placebo in secondary progressive multiple sclerosis (EXPAND)", "Lancet", 2018, "391", "1263-1273", "10.1016/S0140-6736(18)30475-6", "29576505", "")  # fmt: skip
ASCEND = ("Kapoor R, Ho PR, Campbell N, et al.", "Effect of natalizumab on disease progression in secondary progressive multiple sclerosis (ASCEND)", "Lancet Neurol", 2018, "17", "405-415", "10.1016/S1474-4422(18)30069-3", "29545067", "A negative trial on its primary outcome; the upper-limb data are discussed.")  # fmt: skip
MS_STAT = ("Chataway J, Schuerer N, Alsanousi A, et al.", "Effect of high-dose simvastatin on brain atrophy and disability in secondary progressive multiple sclerosis (MS-STAT)", "Lancet", 2014, "383", "2213-2221", "10.1016/S0140-6736(13)62242-4", "24655729", "")  # fmt: skip
SPRINT = ("Fox RJ, Coffey CS, Conwit R, et al.", "Phase 2 trial of ibudilast in progressive multiple sclerosis", "N Engl J Med", 2018, "379", "846-855", "10.1056/NEJMoa1803583", "30157388", "SPRINT-MS: brain atrophy as the primary outcome.")  # fmt: skip

COI_PROF_G = (
    "The author has received speaker fees and advisory board payments from several companies "
    "that make MS treatments, including the makers of natalizumab and ocrelizumab. No funding "
    "was received for this post."
)

POSTS = [
    {
        "slug": "rebound-after-natalizumab-withdrawal",
        "title": "Rebound after natalizumab withdrawal: what the cohort data say",
        "category": "MS Blog",
        "tags": ["natalizumab", "DMT switching", "PML"],
        "standfirst": "Stopping natalizumab can bring disease activity back, sometimes worse "
        "than before. How big is the risk, and what shortens the gap?",
        "days_ago": 3,
        "reviewed": ("Dr A. Patel, consultant neurologist", 2),
        "coi": COI_PROF_G,
        "correction": "An earlier version said rebound typically starts within four weeks of "
        "the last infusion. The cohorts describe a peak at roughly three to six months; the "
        "sentence has been corrected.",
        "refs": [AFFIRM, BLOOMGREN, RYERSON],
        "body": """Stopping **natalizumab** is one of the most common decisions we discuss in clinic, usually because the risk of progressive multifocal leukoencephalopathy (PML) has gone up [@2].

## Why disease comes back

Natalizumab blocks the α4-integrin that lymphocytes use to cross into the brain. It is highly effective while it is on board [@1], but its effect wears off over weeks. When it does, the immune cells that were held back in the blood can enter the central nervous system together.

## How big is the risk?

Across observational cohorts, a minority of people have a *rebound*: more relapses or MRI lesions than before they started treatment. Activity tends to peak roughly three to six months after the last infusion.

| Gap before the next treatment | What cohorts suggest |
|---|---|
| Under 8 weeks | Lowest risk of return of activity |
| 8–12 weeks | Intermediate |
| Over 12 weeks | Highest risk |

## What shortens the gap

The practical lesson is to plan the next treatment before the last infusion, not after. Extended-interval dosing is another way to lower PML risk without stopping at all [@3].

> If you are on natalizumab, do not stop on your own: the timing of the switch matters.
""",
    },
    {
        "slug": "ebv-and-ms-causation",
        "title": "Epstein-Barr virus and MS: from association to causation",
        "category": "Research Speak",
        "tags": ["EBV", "causation", "B cells"],
        "standfirst": "A longitudinal study of millions of recruits changed how we talk about "
        "the cause of multiple sclerosis.",
        "days_ago": 10,
        "reviewed": ("Dr A. Patel, consultant neurologist", 9),
        "refs": [BJORNEVIK, LANZ],
        "body": """For decades we knew EBV was *associated* with MS. Association is not causation: perhaps people who would get MS were simply more likely to catch EBV.

## The recruits study

Researchers used serum stored from more than ten million young adults in the US military [@1]. Among those who later developed MS, almost all had been infected with EBV before onset, and the risk rose about thirty-two-fold after infection. Infection came first; neurofilament light chain, a marker of nerve damage, rose only afterwards.

## A mechanism

A separate study found antibodies from people with MS that bind both an EBV protein, EBNA1, and a protein made by glial cells, GlialCAM [@2]. That is *molecular mimicry*: an immune response against the virus that also recognises the nervous system.

## What it means

- EBV infection looks necessary, though clearly not sufficient, for most MS.
- A vaccine or an antiviral could, in principle, prevent MS or change its course.
- Treatments that remove B cells, where EBV hides, may work partly for this reason.
""",
    },
    {
        "slug": "anti-cd20-b-cell-therapies-what-we-know",
        "title": "Anti-CD20 B-cell therapies: what a decade of data tells us",
        "category": "Clinic Speak",
        "tags": ["B cells", "ocrelizumab", "ofatumumab"],
        "standfirst": "Depleting B cells turned out to be one of the most effective ways to "
        "treat relapsing MS. Here is the evidence, and the questions still open.",
        "days_ago": 18,
        "coi": COI_PROF_G,
        "refs": [OPERA, ORATORIO, ASCLEPIOS],
        "body": """For years MS was described as a T-cell disease. The success of drugs that remove CD20-positive B cells changed that picture.

## Relapsing MS

In the OPERA trials, ocrelizumab roughly halved the annual relapse rate compared with interferon beta-1a [@1]. Subcutaneous ofatumumab did similarly well against teriflunomide [@3].

## Primary progressive MS

ORATORIO was the first phase 3 trial to show a modest slowing of disability in primary progressive MS [@2]. The benefit was largest in younger people with signs of inflammation on MRI.

## Open questions

1. How long should treatment continue in older people, when infection risk climbs?
2. Does lower immunoglobulin over many years matter?
3. Can we dose less often once B cells are gone?
""",
    },
    {
        "slug": "vitamin-d-and-ms-risk-evidence",
        "title": "Vitamin D and MS: risk factor, treatment, or both?",
        "category": "MS Blog",
        "tags": ["vitamin D", "prevention", "lifestyle"],
        "standfirst": "Low vitamin D predicts MS and early activity. Whether supplements "
        "change the course of the disease is a different question.",
        "days_ago": 27,
        "reviewed": ("Dr L. Okafor, neurologist", 20),
        "refs": [MUNGER, ASCHERIO_D],
        "body": """Vitamin D is the MS risk factor people ask about most.

## Risk

In stored serum from US military personnel, higher vitamin D levels before onset were linked to a lower risk of later MS [@1]. Among people after a first demyelinating event, low levels predicted more new lesions and faster progression over five years [@2].

## Treatment

Observational links do not prove that raising vitamin D helps. Trials of supplementation in people who already have MS have given mixed results, often because they were small or short.

## Practical advice

Correcting deficiency is sensible for bone health anyway. Very high doses are not harmless: they can raise calcium. Ask your team to check your level before you take more than the usual supplement.
""",
    },
    {
        "slug": "remyelination-trials-clemastine-and-beyond",
        "title": "Remyelination trials: clemastine and what came after",
        "category": "Research Speak",
        "tags": ["remyelination", "clemastine", "progressive MS"],
        "standfirst": "Repairing myelin is the great unmet need in MS. A cheap antihistamine "
        "gave the field its first clinical signal.",
        "days_ago": 35,
        "refs": [REBUILD, SYNERGY],
        "body": """Every current MS treatment works on the immune system. None repairs the damage already done.

## ReBUILD

Clemastine fumarate, an old antihistamine, came out of a screen for drugs that make oligodendrocyte precursors mature. In a small crossover trial it shortened the latency of visual evoked potentials, a sign that conduction along the optic nerve improved [@1].

![Diagram of a demyelinated axon being rewrapped by an oligodendrocyte]({figure_url} "Figure 1. Remyelination: a new oligodendrocyte wraps a bare axon. (Illustration.)")

## Antibodies against LINGO-1

Opicinumab was designed to lift a brake on remyelination. Its phase 2 trial did not meet its primary outcome [@2], although some subgroups looked better.

## Where next

Trials now test combinations and choose outcomes that measure myelin directly, such as magnetisation transfer imaging.
""",
    },
    {
        "slug": "progressive-ms-one-disease",
        "title": "Is progressive MS one disease? Smouldering activity and PIRA",
        "category": "MS Blog",
        "tags": ["progressive MS", "PIRA", "disability"],
        "standfirst": "Most disability in relapsing MS builds up without relapses. That "
        "finding blurs the old line between relapsing and progressive disease.",
        "days_ago": 44,
        "refs": [LUBLIN, KAPPOS_PIRA, EXPAND],
        "body": """The 2013 descriptions of MS courses split the disease into relapsing and progressive forms, each active or not [@1].

## Progression independent of relapse activity

In pooled data from relapsing trials, most confirmed disability worsening happened *without* a preceding relapse [@2]. This is now called PIRA.

## Why it matters

- Treatments that stop relapses may leave a slower process untouched.
- Trials in "progressive MS" and "relapsing MS" may be studying the same biology at different stages.
- Siponimod showed a modest effect in secondary progressive MS, most clearly in people with recent inflammatory activity [@3].

The disease may be one continuum, with inflammation at the front and neurodegeneration behind it.
""",
    },
    {
        "slug": "pregnancy-and-ms-relapse-risk",
        "title": "Pregnancy and MS: relapse risk before, during and after",
        "category": "Clinic Speak",
        "tags": ["pregnancy", "family planning"],
        "standfirst": "Relapses become rarer during pregnancy and more common just after it. "
        "Planning ahead changes the picture.",
        "days_ago": 52,
        "reviewed": ("Dr L. Okafor, neurologist", 50),
        "refs": [PRIMS, VUKUSIC],
        "body": """The PRIMS study followed 254 women through pregnancy [@1].

## The pattern

- The relapse rate fell steadily, most of all in the third trimester.
- It rose in the first three months after delivery, then returned to the pre-pregnancy level.
- Pregnancy did not worsen long-term disability.

Women with more relapses in the year before and during pregnancy were more likely to relapse after delivery [@2].

## Planning

Today the main decisions are which treatment to use before conception, whether it can continue during pregnancy or breastfeeding, and how soon to restart. These are individual decisions to make with your team.
""",
    },
    {
        "slug": "extended-interval-dosing-natalizumab",
        "title": "Extended-interval dosing of natalizumab and PML",
        "category": "Clinic Speak",
        "tags": ["natalizumab", "PML"],
        "standfirst": "Giving natalizumab every six weeks instead of four seems to lower the "
        "risk of PML while keeping most of its effect.",
        "days_ago": 61,
        "coi": COI_PROF_G,
        "refs": [RYERSON, BLOOMGREN],
        "body": """PML risk on natalizumab depends on JC virus antibodies, previous immunosuppression and treatment duration [@2].

## The registry data

In a large registry, people on extended-interval dosing had a markedly lower PML risk than those on standard dosing [@1]. Because this was not a randomised comparison, some of the difference may reflect who was offered extended dosing.

## Efficacy

Randomised data since then suggest relapse control is largely preserved at six-weekly intervals, with drug-level monitoring in some centres.
""",
    },
    {
        "slug": "natalizumab-in-secondary-progressive-ms",
        "title": "Natalizumab in secondary progressive MS: reading a negative trial",
        "category": "Journal Club",
        "tags": ["natalizumab", "progressive MS", "trial design"],
        "standfirst": "ASCEND missed its primary outcome. Its upper-limb results still "
        "changed how we design progressive MS trials.",
        "days_ago": 75,
        "refs": [ASCEND, SPRINT],
        "body": """ASCEND tested natalizumab in secondary progressive MS using a composite disability outcome [@1].

## What happened

The composite was not different from placebo. The nine-hole peg test, a measure of hand function, favoured natalizumab.

## The lesson

Walking outcomes may be too insensitive in people who already walk poorly. Later trials, such as SPRINT-MS, used brain atrophy as the primary outcome [@2].
""",
    },
    {
        "slug": "simvastatin-in-progressive-ms",
        "title": "High-dose simvastatin in secondary progressive MS",
        "category": "Journal Club",
        "tags": ["progressive MS", "repurposed drugs"],
        "standfirst": "A cheap statin slowed brain atrophy in a phase 2 trial. The phase 3 "
        "answer matters for everyone with progressive MS.",
        "days_ago": 88,
        "refs": [MS_STAT],
        "body": """MS-STAT randomised people with secondary progressive MS to 80 mg simvastatin or placebo [@1].

## Results

The yearly rate of whole-brain atrophy was lower on simvastatin, and some clinical scores moved in the same direction.

## Caution

Phase 2 trials are designed to find signals, not to prove benefit. A larger trial was set up to answer whether the effect on disability is real.
""",
    },
    {
        "slug": "ebv-antivirals-and-vaccines-next-steps",
        "title": "After causation: EBV antivirals and vaccines in MS",
        "category": "Research Speak",
        "tags": ["EBV", "prevention", "vaccines"],
        "standfirst": "If EBV causes MS, can we prevent it or treat it by targeting the virus? "
        "The first trials are under way.",
        "scheduled_in_days": 3,
        "refs": [BJORNEVIK, LANZ],
        "body": """The evidence that EBV is a cause of MS [@1] opens two routes: prevent infection, or treat the infected B cells that persist.

## Vaccines

A vaccine against EBV would take decades to show an effect on MS, because MS starts years after infection.

## Antivirals and T-cell therapies

Existing antivirals act mostly on the replicating virus, not on latent infection. Cell therapies that target EBV-infected B cells are being tested in progressive MS.
""",
    },
    {
        "slug": "journal-club-ibudilast-sprint-ms",
        "title": "Journal club: ibudilast and brain atrophy in SPRINT-MS",
        "category": "Journal Club",
        "tags": ["progressive MS", "repurposed drugs"],
        "standfirst": "Notes for the next journal club; not finished yet.",
        "draft": True,
        "refs": [SPRINT],
        "body": """SPRINT-MS tested ibudilast in primary and secondary progressive MS [@1].

Points to discuss: the atrophy outcome, the dropout rate, and gastrointestinal side effects.
""",
    },
]
