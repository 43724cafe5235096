"""Homophone typos in questions: 在线监册 → 在线监测, 处法 → 处罚, 备按 → 备案, 罚宽 → 罚款,
被法多少 → 被罚多少.

Chinese is typed by pinyin, so the commonest typo is a character with the same sound as the
right one. Such a word is in neither the knowledge base nor the dictionary, and its sound is that
of a word the knowledge base uses. Only such words are corrected: a real word the documents do not
use (端午节, 奶茶店) stays as typed, so an off-topic question never turns into an on-topic one.

The corrections come from the documents themselves (every word of two to four characters the
passages use, keyed by its toneless pinyin), so a bureau's own documents bring their own words.
One slip is known without them: 法 for 罚 where a fine is asked (会被法多少钱), since rules write
处罚 and 罚款 but never the 被罚 of the question.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

from pypinyin import lazy_pinyin

from knowledge.index import CACHED_WORDS, members
from knowledge.normalize import is_cjk
from knowledge.terms import word_frequency, words

_lock = threading.Lock()
# Characters that stand alone in a sentence (particles, pronouns, prepositions, auxiliaries): a
# run of single characters made of them is grammar, and so is such a character next to a term.
_FUNCTION_CHARACTERS = frozenset(
    "的了吗呢吧啊呀是在有和与或及等把被给让对向从也都就还又很更最这那哪个么啥咋您你我他她它"
    "会能要可该得地着过到起上下去来里及谁"
)
MIN_CHARS, MAX_CHARS = 2, 4
# jieba's dictionary holds some slips itself (注消 beside 注销, 帐簿 beside 账簿) at the count it
# gives an entry it has no count for (3, half of its entries): a word no commoner than that,
# sounding like a word of the documents counted at least ``COMMONER`` times as often, is taken
# for the slip it usually is. A word counted more was seen in use (总责 5 times: not 总则).
RARE_WORD, COMMONER = 3, 10
# What the asker asks about is typed on purpose: 基岩水罚多少 asks a fine, not a 水法 (处法 for
# 处罚 is still a slip, since 法 is not kept)
_ASKED_AS_TYPED = frozenset("罚")
# 罚 typed as its homophone 法 where a fine is asked (会被法多少钱, 法款是多少): the documents write
# 处罚 and 罚款 but not 被罚, so the sound lookup finds nothing, and the question reads as a price
_FINE_SLIP = re.compile(r"[被会要挨]法(多少|几|款|钱)|(?<![违非司执合立守])法款")


def typo_corrections(index, prepared: str) -> dict[str, str]:
    """Misspelt span → the knowledge base's word with the same sound, for a prepared question."""
    corrections = {slip: slip.replace("法", "罚") for slip in _fine_slips(prepared)}
    sounds = sound_table(index)
    if not sounds:
        return corrections
    for span in _suspects(prepared):
        if index.passage_index.containing_bits(span):  # the documents use it as typed
            continue
        right = sounds.get(_sound(span))
        if not right or right == span or not _likelier(right, span):
            continue
        if _one_slip(span, right) or _one_slip_in_context(index, prepared, span, right):
            corrections[span] = index.prepare(right)
    return corrections


# the characters beside a slip that make a phrase of the documents with the right word
CONTEXT_CHARS = 2


def _one_slip_in_context(index, prepared: str, typed: str, right: str) -> bool:
    """A changed grammar character is a slip after all when the right word, with the characters
    beside it, is a phrase the documents use: 管里机制 is 管理机制 (里 alone is grammar: 厂里)."""
    if not _one_slip(typed, right, grammar_too=True):
        return False
    at = prepared.find(typed)
    after = prepared[at + len(typed) : at + len(typed) + CONTEXT_CHARS]
    before = prepared[max(0, at - CONTEXT_CHARS) : at]
    phrases = [right + after] if _chinese_context(after) else []
    phrases += [before + right] if _chinese_context(before) else []
    return any(index.passage_index.containing_bits(phrase) for phrase in phrases)


def _chinese_context(text: str) -> bool:
    return len(text) == CONTEXT_CHARS and all(map(is_cjk, text))


def _fine_slips(prepared: str) -> list[str]:
    """The spans of ``prepared`` where 法 stands for 罚 (``_FINE_SLIP``)."""
    return [match.group(0) for match in _FINE_SLIP.finditer(prepared)]


def _likelier(right: str, typed: str) -> bool:
    """Whether ``right`` is the likelier word: ``typed`` is no word, or a rare one (above)."""
    typed_count = word_frequency(typed)
    return typed_count == 0 or word_frequency(right) >= COMMONER * typed_count


def sounds_like(index, word: str) -> str | None:
    """The knowledge base's word that ``word`` is a slip of (去水 → 取水), if any: for words
    jieba knows, which ``typo_corrections`` leaves alone, where a caller has reason to doubt them
    (a licence no document names)."""
    right = sound_table(index).get(_sound(word))
    if not right or right == word:
        return None
    # a changed grammar character counts here: 去水许可证 is no phrase with the verb 去 in it
    return right if _one_slip(word, right, grammar_too=True) else None


def _one_slip(typed: str, right: str, *, grammar_too: bool = False) -> bool:
    """A slip of the input method changes some characters of a word and keeps the others (监册 for
    监测); a changed character that is grammar (被查 → 备查, 装在 → 装载) was typed on purpose,
    unless the caller has other reason to doubt the word (``grammar_too``)."""
    changed = [a for a, b in zip(typed, right, strict=True) if a != b]
    if len(changed) >= len(typed) or _ASKED_AS_TYPED.intersection(changed):
        return False
    return grammar_too or not any(ch in _FUNCTION_CHARACTERS for ch in changed)


def apply_corrections(text: str, corrections: dict[str, str]) -> str:
    """``text`` with each misspelt span replaced."""
    for wrong, right in corrections.items():
        text = text.replace(wrong, right)
    return text


def _suspects(prepared: str) -> list[str]:
    """Spans that may be misspelt: words jieba made up (not in its dictionary), runs of
    characters jieba could only leave single (在线 监 册 设备), and a word with a stray character
    beside it (有效 其 for 有效期, 许可 正 for 许可证): the slip left a shorter real word."""
    cut = words(prepared)
    spans: list[str] = []
    run: list[str] = []
    for word in [*cut, " "]:
        if _stray(word):
            run.append(word)
            continue
        if MIN_CHARS <= len(run) <= MAX_CHARS:
            spans.append("".join(run))
        run = []
        if MIN_CHARS <= len(word) <= MAX_CHARS and is_cjk(word) and _rare(word):
            spans.append(word)
    for first, second in zip(cut, cut[1:], strict=False):
        if _word_and_stray(first, second) or _word_and_stray(second, first):
            spans.append(first + second)
    return spans


def _rare(word: str) -> bool:
    """A word jieba made up, or one its dictionary counts at most ``RARE_WORD`` times."""
    return word_frequency(word) <= RARE_WORD


def _word_and_stray(word: str, beside: str) -> bool:
    """Whether ``word`` is a Chinese word of two characters or more and ``beside`` a stray
    character, together no longer than a word ``typo_corrections`` looks up."""
    return (
        len(word) >= MIN_CHARS
        and len(word) + len(beside) <= MAX_CHARS
        and is_cjk(word)
        and _stray(beside)
    )


def _stray(word: str) -> bool:
    """A character jieba left on its own that is not grammar."""
    return len(word) == 1 and is_cjk(word) and word not in _FUNCTION_CHARACTERS


def sound_table(index) -> dict[str, str]:
    """Toneless pinyin → the knowledge base's most frequent word with that sound (cached)."""
    if index.typo_sounds is not None:
        return index.typo_sounds
    with _lock:
        counts: Counter[str] = Counter()
        for token, df in index.passage_index.bm25.df.items():
            term = token[2:]
            if token.startswith("w:") and MIN_CHARS <= len(term) <= MAX_CHARS and is_cjk(term):
                counts[term] += df
        sounds: dict[str, str] = {}
        for term, _ in counts.most_common():
            sounds.setdefault(_sound(term), term)
        # the everyday words of the synonym dictionary too (躁音 is 噪音 mistyped, which the
        # documents write 噪声): a slip of such a word is corrected to the documents' wording
        for term in index.synonyms.mapping:
            if MIN_CHARS <= len(term) <= MAX_CHARS and is_cjk(term):
                sounds.setdefault(_sound(term), term)
        index.typo_sounds = sounds
    return sounds


def _sound(text: str) -> str:
    return " ".join(lazy_pinyin(text))


# Abbreviations: 风景区 for 风景名胜区, 村委会 for 村民委员会. People shorten a term by dropping
# characters and keep its first and last; a word of three or four characters the documents never
# write, whose characters they write in that order with a few more between (at most
# ``ABBREVIATION_GAP`` at a time), within one term, is looked up as the documents' longer form.
# Two characters say too little (危废 could be many things): the synonym dictionary holds those.
ABBREVIATION_MIN_CHARS, ABBREVIATION_GAP = 3, 2


def abbreviation_expansions(index, prepared: str) -> dict[str, str]:
    """Abbreviated word → the knowledge base's longer form, for a prepared question."""
    expansions: dict[str, str] = {}
    for word in words(prepared):
        if not ABBREVIATION_MIN_CHARS <= len(word) <= MAX_CHARS or not is_cjk(word):
            continue
        if word in index.synonyms.mapping or index.passage_index.containing_bits(word):
            continue
        if word.endswith("法") or any(word in a for a in index.title_aliases.values()):
            continue  # a law's name (环保法, 土污法): the named documents are found apart
        full = _longer_form(index, word)
        if full:
            expansions[word] = index.prepare(full)
    return expansions


# A licence is called by what it licenses plus 证: 经营证, 收集证, 取水证 for the documents'
# 经营许可证, 收集经营许可证, 取水许可证. jieba cuts 证 off as a word of its own, so these are found
# as a word followed by 证, and looked up as the commonest licence the passages name that starts
# with the word (at most ``LICENCE_GAP`` characters of one term between it and 许可证).
LICENCE = "许可证"
LICENCE_GAP = 4


def licence_expansions(index, prepared: str) -> dict[str, str]:
    """``X证`` → the knowledge base's ``X…许可证``, for a prepared question."""
    expansions: dict[str, str] = {}
    cut = words(prepared)
    for word, after in zip(cut, cut[1:], strict=False):
        short = word + "证"
        if not after.startswith("证") or not 2 <= len(word) <= MAX_CHARS or not is_cjk(word):
            continue
        if short in expansions or index.passage_index.containing_bits(short):
            continue  # the documents write it so themselves
        full = _licence_named(index, word)
        if full:
            expansions[short] = index.prepare(full)
    return expansions


def _licence_named(index, word: str) -> str:
    """The commonest ``word…许可证`` of the passages (cached under ``word证``)."""

    def scan():
        collection = index.passage_index
        holders = collection.containing_bits(word) & collection.containing_bits(LICENCE)
        pattern = re.compile(f"{re.escape(word)}.{{0,{LICENCE_GAP}}}?{LICENCE}")
        return holders, pattern, lambda run: _names_one_licence(word, run)

    return _commonest_run(index, word + "证", scan)


def _names_one_licence(word: str, run: str) -> bool:
    """取水许可证, 收集经营许可证; not 排放污染物的许可证 (grammar between)."""
    between = run[len(word) : -len(LICENCE)]
    return not between or (is_cjk(between) and not _FUNCTION_CHARACTERS.intersection(between))


def _longer_form(index, word: str) -> str:
    """The commonest run of the passages that spells ``word`` with characters between (cached)."""

    def scan():
        holders = -1
        for character in word:
            holders &= index.passage_index.containing_bits(character)
        # any character between, checked afterwards (a class of every CJK character is slow to
        # compile)
        pattern = re.compile(f".{{0,{ABBREVIATION_GAP}}}".join(re.escape(c) for c in word))
        return holders, pattern, lambda run: _spells_one_term(word, run)

    return _commonest_run(index, word, scan)


def _commonest_run(index, key: str, scan) -> str:
    """The commonest match in the passages of what ``scan()`` returns — (passages as bits, a
    pattern, a test each match must pass) — or "" for none; remembered under ``key`` in the
    snapshot's abbreviation cache, so ``scan`` runs once per word."""
    cache = index.abbreviation_cache
    found = cache.get(key)
    if found is not None:
        return found
    holders, pattern, keep = scan()
    collection = index.passage_index
    counts: Counter[str] = Counter()
    for number in members(holders):
        text = collection.prepared[number].replace(" ", "")
        counts.update(m for m in pattern.findall(text) if keep(m))
    found = counts.most_common(1)[0][0] if counts else ""
    if len(cache) < CACHED_WORDS:
        cache[key] = found
    return found


def _spells_one_term(word: str, run: str) -> bool:
    """The characters between are part of one term, not grammar joining two (小区的规模 does not
    spell 小规模, 标准及限值 not 标准值)."""
    return (
        len(run) > len(word)
        and is_cjk(run)
        and not _FUNCTION_CHARACTERS.intersection(run).difference(word)
    )
