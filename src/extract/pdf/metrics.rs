//! Advance widths of the standard Type 1 fonts, in thousandths of an em.
//!
//! PDF writers may omit `/Widths` for the standard 14 fonts (and some old
//! ones do), yet word spacing can only be inferred from positions when the
//! advances are known. The numbers are the Adobe AFM metrics (as shipped with
//! groff's `devps` fonts), keyed by glyph name and limited to the Latin glyphs
//! the glyph-name table knows. The PDF writer in `synth` uses the same numbers
//! for the `/Widths` it writes, so generated files and extraction agree.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The standard font families whose metrics are built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum StandardFont {
    /// Helvetica (and Arial, which shares its metrics).
    Helvetica,
    /// Helvetica-Bold (and Arial Bold).
    HelveticaBold,
    /// Times-Roman (and Times New Roman).
    TimesRoman,
    /// Times-Bold.
    TimesBold,
    /// Any Courier: every glyph is 600 wide.
    Courier,
}

impl StandardFont {
    /// The standard font a `/BaseFont` name refers to, ignoring a subset
    /// prefix (`ABCDEF+`) and the usual spellings of Arial and Times New Roman.
    pub(crate) fn from_base_font(name: &str) -> Option<Self> {
        let name = match name.split_once('+') {
            Some((prefix, rest)) if prefix.len() == 6 => rest,
            _ => name,
        };
        let lower = name.to_ascii_lowercase().replace([' ', '-', ','], "");
        let bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy");
        if lower.starts_with("courier") {
            Some(Self::Courier)
        } else if lower.starts_with("helvetica") || lower.starts_with("arial") {
            Some(if bold {
                Self::HelveticaBold
            } else {
                Self::Helvetica
            })
        } else if lower.starts_with("times") {
            Some(if bold {
                Self::TimesBold
            } else {
                Self::TimesRoman
            })
        } else {
            None
        }
    }

    /// The advance of a glyph in thousandths of an em, if known.
    pub(crate) fn width(self, glyph_name: &str) -> Option<u16> {
        if self == Self::Courier {
            return Some(600);
        }
        static PARSED: OnceLock<HashMap<(StandardFont, &'static str), u16>> = OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            let mut map = HashMap::new();
            for (font, table) in [
                (Self::Helvetica, HELVETICA),
                (Self::HelveticaBold, HELVETICA_BOLD),
                (Self::TimesRoman, TIMES_ROMAN),
                (Self::TimesBold, TIMES_BOLD),
            ] {
                map.extend(parse_table(table).map(|(name, width)| ((font, name), width)));
            }
            map
        });
        parsed.get(&(self, glyph_name)).copied()
    }
}

/// Splits a `name width name width …` table into pairs.
fn parse_table(table: &'static str) -> impl Iterator<Item = (&'static str, u16)> {
    let mut words = table.split_ascii_whitespace();
    std::iter::from_fn(move || {
        let name = words.next()?;
        let width = words.next()?.parse().ok()?;
        Some((name, width))
    })
}

const HELVETICA: &str = "\
    A 667 AE 1000 Aacute 667 Acircumflex 667 Adieresis 667 Agrave 667 Aring 667 Atilde 667 B 667 C 722 \
    Ccedilla 722 D 722 E 667 Eacute 667 Ecircumflex 667 Edieresis 667 Egrave 667 Eth 722 Euro 556 F 611 \
    G 778 H 722 I 278 Iacute 278 Icircumflex 278 Idieresis 278 Igrave 278 J 500 K 667 L 556 Lslash 556 M \
    833 N 722 Ntilde 722 O 778 OE 1000 Oacute 778 Ocircumflex 778 Odieresis 778 Ograve 778 Oslash 778 \
    Otilde 778 P 667 Q 778 R 722 S 667 Scaron 667 T 611 Thorn 667 U 722 Uacute 722 Ucircumflex 722 \
    Udieresis 722 Ugrave 722 V 667 W 944 X 667 Y 667 Yacute 667 Ydieresis 667 Z 611 Zcaron 611 a 556 \
    aacute 556 acircumflex 556 acute 333 adieresis 556 ae 889 agrave 556 ampersand 667 aring 556 \
    asciicircum 469 asciitilde 584 asterisk 389 at 1015 atilde 556 b 556 backslash 278 bar 260 braceleft \
    334 braceright 334 bracketleft 278 bracketright 278 breve 333 brokenbar 260 bullet 350 c 500 caron \
    333 ccedilla 500 cedilla 333 cent 556 circumflex 333 colon 278 comma 278 copyright 737 currency 556 \
    d 556 dagger 556 daggerdbl 556 degree 400 dieresis 333 divide 584 dollar 556 dotaccent 333 dotlessi \
    278 e 556 eacute 556 ecircumflex 556 edieresis 556 egrave 556 eight 556 ellipsis 1000 emdash 1000 \
    endash 556 equal 584 eth 556 exclam 278 exclamdown 333 f 278 fi 500 five 556 fl 500 florin 556 four \
    556 fraction 167 g 556 germandbls 611 grave 333 greater 584 guillemotleft 556 guillemotright 556 \
    guilsinglleft 333 guilsinglright 333 h 556 hungarumlaut 333 hyphen 333 i 222 iacute 278 icircumflex \
    278 idieresis 278 igrave 278 j 222 k 500 l 222 less 584 logicalnot 584 lslash 222 m 833 macron 333 \
    minus 584 mu 578 multiply 584 n 556 nine 556 ntilde 556 numbersign 556 o 556 oacute 556 ocircumflex \
    556 odieresis 556 oe 944 ogonek 333 ograve 556 one 556 onehalf 834 onequarter 834 onesuperior 333 \
    ordfeminine 370 ordmasculine 365 oslash 611 otilde 556 p 556 paragraph 537 parenleft 333 parenright \
    333 percent 889 period 278 periodcentered 278 perthousand 1000 plus 584 plusminus 584 q 556 question \
    556 questiondown 611 quotedbl 355 quotedblbase 333 quotedblleft 333 quotedblright 333 quoteleft 222 \
    quoteright 222 quotesinglbase 222 quotesingle 191 r 333 registered 737 ring 333 s 500 scaron 500 \
    section 556 semicolon 278 seven 556 six 556 slash 278 space 278 sterling 556 t 278 thorn 556 three \
    556 threequarters 834 threesuperior 333 tilde 333 trademark 1000 two 556 twosuperior 333 u 556 \
    uacute 556 ucircumflex 556 udieresis 556 ugrave 556 underscore 556 v 500 w 722 x 500 y 500 yacute \
    500 ydieresis 500 yen 556 z 500 zcaron 500 zero 556 \
";

const HELVETICA_BOLD: &str = "\
    A 722 AE 1000 Aacute 722 Acircumflex 722 Adieresis 722 Agrave 722 Aring 722 Atilde 722 B 722 C 722 \
    Ccedilla 722 D 722 E 667 Eacute 667 Ecircumflex 667 Edieresis 667 Egrave 667 Eth 722 Euro 556 F 611 \
    G 778 H 722 I 278 Iacute 278 Icircumflex 278 Idieresis 278 Igrave 278 J 556 K 722 L 611 Lslash 611 M \
    833 N 722 Ntilde 722 O 778 OE 1000 Oacute 778 Ocircumflex 778 Odieresis 778 Ograve 778 Oslash 778 \
    Otilde 778 P 667 Q 778 R 722 S 667 Scaron 667 T 611 Thorn 667 U 722 Uacute 722 Ucircumflex 722 \
    Udieresis 722 Ugrave 722 V 667 W 944 X 667 Y 667 Yacute 667 Ydieresis 667 Z 611 Zcaron 611 a 556 \
    aacute 556 acircumflex 556 acute 333 adieresis 556 ae 889 agrave 556 ampersand 722 aring 556 \
    asciicircum 584 asciitilde 584 asterisk 389 at 975 atilde 556 b 611 backslash 278 bar 280 braceleft \
    389 braceright 389 bracketleft 333 bracketright 333 breve 333 brokenbar 280 bullet 350 c 556 caron \
    333 ccedilla 556 cedilla 333 cent 556 circumflex 333 colon 333 comma 278 copyright 737 currency 556 \
    d 611 dagger 556 daggerdbl 556 degree 400 dieresis 333 divide 584 dollar 556 dotaccent 333 dotlessi \
    278 e 556 eacute 556 ecircumflex 556 edieresis 556 egrave 556 eight 556 ellipsis 1000 emdash 1000 \
    endash 556 equal 584 eth 611 exclam 333 exclamdown 333 f 333 fi 611 five 556 fl 611 florin 556 four \
    556 fraction 167 g 611 germandbls 611 grave 333 greater 584 guillemotleft 556 guillemotright 556 \
    guilsinglleft 333 guilsinglright 333 h 611 hungarumlaut 333 hyphen 333 i 278 iacute 278 icircumflex \
    278 idieresis 278 igrave 278 j 278 k 556 l 278 less 584 logicalnot 584 lslash 278 m 889 macron 333 \
    minus 584 mu 611 multiply 584 n 611 nine 556 ntilde 611 numbersign 556 o 611 oacute 611 ocircumflex \
    611 odieresis 611 oe 944 ogonek 333 ograve 611 one 556 onehalf 834 onequarter 834 onesuperior 333 \
    ordfeminine 370 ordmasculine 365 oslash 611 otilde 611 p 611 paragraph 556 parenleft 333 parenright \
    333 percent 889 period 278 periodcentered 278 perthousand 1000 plus 584 plusminus 584 q 611 question \
    611 questiondown 611 quotedbl 474 quotedblbase 500 quotedblleft 500 quotedblright 500 quoteleft 278 \
    quoteright 278 quotesinglbase 278 quotesingle 238 r 389 registered 737 ring 333 s 556 scaron 556 \
    section 556 semicolon 333 seven 556 six 556 slash 278 space 278 sterling 556 t 333 thorn 611 three \
    556 threequarters 834 threesuperior 333 tilde 333 trademark 1000 two 556 twosuperior 333 u 611 \
    uacute 611 ucircumflex 611 udieresis 611 ugrave 611 underscore 556 v 556 w 778 x 556 y 556 yacute \
    556 ydieresis 556 yen 556 z 500 zcaron 500 zero 556 \
";

const TIMES_ROMAN: &str = "\
    A 722 AE 889 Aacute 722 Acircumflex 722 Adieresis 722 Agrave 722 Aring 722 Atilde 722 B 667 C 667 \
    Ccedilla 667 D 722 E 611 Eacute 611 Ecircumflex 611 Edieresis 611 Egrave 611 Eth 722 Euro 500 F 556 \
    G 722 H 722 I 333 Iacute 333 Icircumflex 333 Idieresis 333 Igrave 333 J 389 K 722 L 611 Lslash 611 M \
    889 N 722 Ntilde 722 O 722 OE 889 Oacute 722 Ocircumflex 722 Odieresis 722 Ograve 722 Oslash 722 \
    Otilde 722 P 556 Q 722 R 667 S 556 Scaron 556 T 611 Thorn 556 U 722 Uacute 722 Ucircumflex 722 \
    Udieresis 722 Ugrave 722 V 722 W 944 X 722 Y 722 Yacute 722 Ydieresis 722 Z 611 Zcaron 611 a 444 \
    aacute 444 acircumflex 444 acute 333 adieresis 444 ae 667 agrave 444 ampersand 778 aring 444 \
    asciicircum 469 asciitilde 541 asterisk 500 at 921 atilde 444 b 500 backslash 278 bar 200 braceleft \
    480 braceright 480 bracketleft 333 bracketright 333 breve 333 brokenbar 200 bullet 350 c 444 caron \
    333 ccedilla 444 cedilla 333 cent 500 circumflex 333 colon 278 comma 250 copyright 760 currency 500 \
    d 500 dagger 500 daggerdbl 500 degree 400 dieresis 333 divide 564 dollar 500 dotaccent 333 dotlessi \
    278 e 444 eacute 444 ecircumflex 444 edieresis 444 egrave 444 eight 500 ellipsis 1000 emdash 1000 \
    endash 500 equal 564 eth 500 exclam 333 exclamdown 333 f 333 fi 556 five 500 fl 556 florin 500 four \
    500 fraction 167 g 500 germandbls 500 grave 333 greater 564 guillemotleft 500 guillemotright 500 \
    guilsinglleft 333 guilsinglright 333 h 500 hungarumlaut 333 hyphen 333 i 278 iacute 278 icircumflex \
    278 idieresis 278 igrave 278 j 278 k 500 l 278 less 564 logicalnot 564 lslash 278 m 778 macron 333 \
    minus 564 mu 510 multiply 564 n 500 nine 500 ntilde 500 numbersign 500 o 500 oacute 500 ocircumflex \
    500 odieresis 500 oe 722 ogonek 333 ograve 500 one 500 onehalf 750 onequarter 750 onesuperior 300 \
    ordfeminine 276 ordmasculine 310 oslash 500 otilde 500 p 500 paragraph 453 parenleft 333 parenright \
    333 percent 833 period 250 periodcentered 250 perthousand 1000 plus 564 plusminus 564 q 500 question \
    444 questiondown 444 quotedbl 408 quotedblbase 444 quotedblleft 444 quotedblright 444 quoteleft 333 \
    quoteright 333 quotesinglbase 333 quotesingle 180 r 333 registered 760 ring 333 s 389 scaron 389 \
    section 500 semicolon 278 seven 500 six 500 slash 278 space 250 sterling 500 t 278 thorn 500 three \
    500 threequarters 750 threesuperior 300 tilde 333 trademark 980 two 500 twosuperior 300 u 500 uacute \
    500 ucircumflex 500 udieresis 500 ugrave 500 underscore 500 v 500 w 722 x 500 y 500 yacute 500 \
    ydieresis 500 yen 500 z 444 zcaron 444 zero 500 \
";

const TIMES_BOLD: &str = "\
    A 722 AE 1000 Aacute 722 Acircumflex 722 Adieresis 722 Agrave 722 Aring 722 Atilde 722 B 667 C 722 \
    Ccedilla 722 D 722 E 667 Eacute 667 Ecircumflex 667 Edieresis 667 Egrave 667 Eth 722 Euro 500 F 611 \
    G 778 H 778 I 389 Iacute 389 Icircumflex 389 Idieresis 389 Igrave 389 J 500 K 778 L 667 Lslash 667 M \
    944 N 722 Ntilde 722 O 778 OE 1000 Oacute 778 Ocircumflex 778 Odieresis 778 Ograve 778 Oslash 778 \
    Otilde 778 P 611 Q 778 R 722 S 556 Scaron 556 T 667 Thorn 611 U 722 Uacute 722 Ucircumflex 722 \
    Udieresis 722 Ugrave 722 V 722 W 1000 X 722 Y 722 Yacute 722 Ydieresis 722 Z 667 Zcaron 667 a 500 \
    aacute 500 acircumflex 500 acute 333 adieresis 500 ae 722 agrave 500 ampersand 833 aring 500 \
    asciicircum 581 asciitilde 520 asterisk 500 at 930 atilde 500 b 556 backslash 278 bar 220 braceleft \
    394 braceright 394 bracketleft 333 bracketright 333 breve 333 brokenbar 220 bullet 350 c 444 caron \
    333 ccedilla 444 cedilla 333 cent 500 circumflex 333 colon 333 comma 250 copyright 747 currency 500 \
    d 556 dagger 500 daggerdbl 500 degree 400 dieresis 333 divide 570 dollar 500 dotaccent 333 dotlessi \
    278 e 444 eacute 444 ecircumflex 444 edieresis 444 egrave 444 eight 500 ellipsis 1000 emdash 1000 \
    endash 500 equal 570 eth 500 exclam 333 exclamdown 333 f 333 fi 556 five 500 fl 556 florin 500 four \
    500 fraction 167 g 500 germandbls 556 grave 333 greater 570 guillemotleft 500 guillemotright 500 \
    guilsinglleft 333 guilsinglright 333 h 556 hungarumlaut 333 hyphen 333 i 278 iacute 278 icircumflex \
    278 idieresis 278 igrave 278 j 333 k 556 l 278 less 570 logicalnot 570 lslash 278 m 833 macron 333 \
    minus 570 mu 601 multiply 570 n 556 nine 500 ntilde 556 numbersign 500 o 500 oacute 500 ocircumflex \
    500 odieresis 500 oe 722 ogonek 333 ograve 500 one 500 onehalf 750 onequarter 750 onesuperior 300 \
    ordfeminine 300 ordmasculine 330 oslash 500 otilde 500 p 556 paragraph 540 parenleft 333 parenright \
    333 percent 1000 period 250 periodcentered 250 perthousand 1000 plus 570 plusminus 570 q 556 \
    question 500 questiondown 500 quotedbl 555 quotedblbase 500 quotedblleft 500 quotedblright 500 \
    quoteleft 333 quoteright 333 quotesinglbase 333 quotesingle 278 r 444 registered 747 ring 333 s 389 \
    scaron 389 section 500 semicolon 333 seven 500 six 500 slash 278 space 250 sterling 500 t 333 thorn \
    556 three 500 threequarters 750 threesuperior 300 tilde 333 trademark 1000 two 500 twosuperior 300 u \
    556 uacute 556 ucircumflex 556 udieresis 556 ugrave 556 underscore 500 v 500 w 722 x 500 y 500 \
    yacute 500 ydieresis 500 yen 500 z 444 zcaron 444 zero 500 \
";
