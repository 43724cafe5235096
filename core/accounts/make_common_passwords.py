"""Write ``common_passwords.txt``: weak words people pick, and the decorations they add.

Run ``python -m core.accounts.make_common_passwords`` after changing the word lists. The file is
our own: well-known weak choices (English words, pinyin phrases, keyboard walks, digit runs,
words of this field) crossed with the usual prefixes and suffixes (years, 123, !, 520, 1314 …).
Only entries of at least 6 characters are kept: shorter ones fail the length rule anyway, and
``passwords.password_problem`` also strips digits and symbols around a password before looking
it up, so "Dragon2024!" is caught through "dragon".
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).with_name("common_passwords.txt")
MIN_LENGTH = 6

WORDS = """
password passw0rd p@ssw0rd p@ssword pa55word passwd pass mypassword newpassword password1
qwerty qwert qwertyu qwertyui qwertyuiop asdf asdfg asdfgh asdfghj asdfghjk asdfghjkl zxcv zxcvb
zxcvbn zxcvbnm qazwsx qazwsxedc qazxsw wsxedc 1qaz2wsx 1qaz2wsx3edc 1q2w3e 1q2w3e4r 1q2w3e4r5t
1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 zaq12wsx zaq1xsw2 1qazxsw2 qweasd qweasdzxc asdqwe qwe123
iloveyou iloveu loveyou letmein welcome welcome1 admin administrator root master login monkey
dragon football baseball basketball soccer hockey golf shadow sunshine princess superman batman
spiderman starwars pokemon naruto trustno1 whatever freedom hello hellokitty michael jordan
jennifer hunter ranger buster thomas robert charlie daniel andrew joshua matthew jessica ashley
amanda nicole summer winter spring autumn flower angel lovely love lover loveme cookie cheese
chocolate banana orange apple computer internet google facebook secret changeme default guest
test tester testing user system server oracle mysql postgres database access security private
public temp temporary mustang ferrari porsche mercedes corvette harley yamaha killer pepper
ginger tigger sparky maggie bailey mickey minnie snoopy garfield matrix merlin wizard silver
golden diamond purple yellow blue green black white magic phoenix hannah taylor austin
justin london paris newyork america canada qwerty123 abc abcd abcde abcdef abcdefg abcdefgh
abc123 abcd1234 a1b2c3 a1b2c3d4 aa12345678 asd123 zxc123 aaa111 qqq111 happy smile friend
family mother father sister brother baby babygirl babyboy darling honey sweet sweetheart kitty
unknown nothing forever together welcome123 letmein123 hello123 admin123 root123 test123
pass123 guest123 user123 super superuser manager office company business money million
woaini woaini1314 aini1314 woaini520 woainima woaiwojia woaiwoma woaini123 5201314 1314520
520520 521521 1314521 7758521 7758258 wodemima mima mimamima woshishui nihao nihaoma haha hehe
hehehe hahaha baobao baobei laopo laogong xiaoming xiaohong xiaobai xiaohei xiaoqiang
zhangwei wangwei liwei liuwei wangfang zhangmin lina wangjing zhongguo zhonghua china
chinese beijing shanghai tianjin chongqing guangzhou shenzhen hangzhou nanjing wuhan chengdu
tianya dearbook xiazhili qq qqqq qqqqqq qq123456 qq5201314 huawei xiaomi taobao alibaba
tencent baidu weixin wechat weibo douyin kuaishou zhifubao alipay jingdong meituan
tiantian kaixin xingfu pingan shunli fuqi jiayou aiqing yongyuan
huanjing huanbao huanbaoju shengtai shengtaihuanjing sthjj hbj hbj123 paiwu paiwuxuke
xukezheng xuke permit permithub pollution emission environment epa mee gov zhengfu
zhengfu123 gongzuo bangong danwei gongsi qiye jituan guanliyuan
"""

DIGIT_RUNS = """
123456 1234567 12345678 123456789 1234567890 0123456789 111111 1111111 11111111 111111111
1111111111 000000 0000000 00000000 000000000 0000000000 888888 88888888 666666 66666666
999999 99999999 123123 123123123 123321 1234321 12344321 123654 123654789 112233 11223344
147258 147258369 159357 159753 741852963 789456123 321654987 987654321 9876543210 13579
246810 24680 31415926 314159 5201314520 110110 110110110 12121212 520131400 654321
7654321 87654321 121212 131313 202020 696969 101010 123abc 123qwe 147852 147852369 258369
963852741 369258147 456789 567890 102030 100200 1314 520 5211314 201314 2008 2012 2020
"""

# Digits and symbols around a word are stripped before the lookup, so only a few of these
# suffixes are needed for the check; they are listed because they are what people type.
SUFFIXES = ["", "1", "12", "123", "1234", "!", "@123", "520", "1314", "666", "888", "abc", "qq"]
DIGIT_PREFIXES = ["", "a", "aa", "qq", "abc", "wo"]  # a123456789, qq123456
WORD_PREFIXES = ["my", "ilove", "woai"]  # mydragon, ilovechina, woaibeijing


def candidates() -> list[str]:
    """Every word and digit run with each suffix, and digit runs after each prefix."""
    words = WORDS.split()
    digits = DIGIT_RUNS.split()
    found: set[str] = set()
    for base in words + digits:
        for suffix in SUFFIXES:
            found.add(base + suffix)
    for run in digits:
        for prefix in DIGIT_PREFIXES:
            found.add(prefix + run)
    for word in words:
        for prefix in WORD_PREFIXES:
            found.add(prefix + word)
    return sorted(p for p in found if len(p) >= MIN_LENGTH)


def main() -> None:
    """Write the file."""
    header = "# PermitHub: common passwords (lower case), written by make_common_passwords.py\n"
    OUT.write_text(header + "\n".join(candidates()) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(candidates())} entries")


if __name__ == "__main__":
    main()
