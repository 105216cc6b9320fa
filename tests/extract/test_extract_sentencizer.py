import spacy

from graphbuild.extract.sentences import split_sentences

TEXTS = [
    "We present DrQ-v2. It works (really!) well... On DMC, it wins? Yes: \"it does.\" Done",
    "No punctuation at all",
    "Ends with a period.",
    "Über-Modelle lösen Aufgaben. Ça marche ! Fin.",
    "Version 2.0 of GPT-4 is used in Table 2. Then (a) and (b). Next sentence.",
]


def test_same_sentences_as_spacys_sentencizer():
    ref = spacy.blank("en")
    ref.add_pipe("sentencizer")
    for text in TEXTS:
        expected = tuple((s.start_char, s.end_char) for s in ref(text).sents)
        assert split_sentences(text) == expected


def test_abbreviations_do_not_end_sentences():
    text = "Baselines, e.g. PPO and SAC, from Smith et al. are used. Fig. 2 shows it."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Baselines, e.g. PPO and SAC, from Smith et al. are used.",
        "Fig. 2 shows it.",
    ]


def test_empty_text():
    assert split_sentences("") == ()
    assert split_sentences("   ") == ()


def test_runs_of_end_marks_and_closers():
    text = "Really?! Yes… It works.) Next。 Fin！ End"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Really?!", "Yes…", "It works.)", "Next。", "Fin！", "End",
    ]
