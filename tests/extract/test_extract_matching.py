from graphbuild.extract.matching import accept_match, is_case_sensitive, spelling_variants, vocabulary_patterns

OK = frozenset({"based"})


def test_case_sensitivity_of_spellings():
    assert is_case_sensitive("LSTM")
    assert is_case_sensitive("GANs")
    assert is_case_sensitive("ViT")
    assert not is_case_sensitive("Transformer")
    assert not is_case_sensitive("DeepMind Control Suite")
    assert not is_case_sensitive("ResNet")


def test_plural_variants():
    assert spelling_variants("LLM") == ["LLM", "LLMs"]
    assert spelling_variants("Transformers") == ["Transformers"]


def test_nested_hyphenated_name_is_not_its_prefix():
    text = "robustness on ImageNet-C and ImageNet."
    s = text.index("ImageNet")
    assert not accept_match(text, s, s + 8, False, False, OK)
    s2 = text.rindex("ImageNet")
    assert accept_match(text, s2, s2 + 8, False, False, OK)


def test_hyphenated_modifier_keeps_the_match():
    text = "Transformer-based models"
    assert accept_match(text, 0, 11, False, False, OK)
    assert not accept_match("Mini-ImageNet", 5, 13, False, False, OK)


def test_ambiguous_names_are_skipped_at_sentence_start():
    assert not accept_match("Adam is used.", 0, 4, True, True, OK)
    assert accept_match("we train with Adam here", 14, 18, True, False, OK)


def test_ambiguous_entries_match_case_sensitively(vocab):
    pats = {(i, s): cs for i, s, cs in vocabulary_patterns(vocab)}
    assert pats[("method:adam", "Adam")] is True
    assert pats[("method:transformer", "Transformer")] is False
    # metrics and stoplist never become patterns
    assert all(s.lower() != "accuracy" for _, s in pats)
