//! The words carousel writes on a slide itself, in the deck's language: the kinds' kickers
//! (THE PROBLEM ...), the first slide's "Swipe", a before/after pair's captions and its change
//! ("20x faster"), a compare column's "✓ PICKED" badge and the cta's follow line and cues.
//!
//! An Arabic deck with English kickers over Arabic titles reads as a template left unfinished,
//! so these follow `language:`, or, without it, the language of the script the deck's letters
//! are mostly written in. A language not in the table keeps the English words, and its cta
//! leaves the follow line and cues to the author (they would be English in a deck that is not).

/// Which way a change went, in the words of its kind of unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Faster,
    Slower,
    Smaller,
    Larger,
    Lower,
    Higher,
}

/// A slide's own words in one language.
#[derive(Debug)]
pub struct Words {
    /// The primary language subtag (`en`, `ar` ...).
    pub language: &'static str,
    /// The kickers of problem, root cause, solution, results, learnings and cta, in that order.
    kickers: [&'static str; 6],
    /// The first slide's pill.
    pub swipe: &'static str,
    /// A before/after pair's two captions.
    pub before: &'static str,
    pub after: &'static str,
    /// The badge of the picked compare column.
    pub picked: &'static str,
    /// The cta's default follow line and its two cues; `None` where the language has no table
    /// of its own (the author writes them).
    pub follow: Option<&'static str>,
    pub cues: Option<[&'static str; 2]>,
    /// A ratio's phrase: `{}` is the ratio ("20"), one per [`Trend`] in its order.
    trends: [&'static str; 6],
}

/// The English kickers the built-in layouts carry (`data-label`), in the order of `kickers`.
const ENGLISH_KICKERS: [&str; 6] =
    ["THE PROBLEM", "ROOT CAUSE", "THE SOLUTION", "THE RESULTS", "KEY LEARNINGS", "YOUR TURN"];

impl Words {
    /// The words of the language `tag` names (its primary subtag, any case); for a language
    /// the table has none for, the English words without the cta's follow line and cues.
    pub fn for_language(tag: &str) -> &'static Words {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let known = &TABLE[..TABLE.len() - 1];
        known.iter().find(|w| w.language.eq_ignore_ascii_case(primary)).unwrap_or(&TABLE[TABLE.len() - 1])
    }

    /// A layout's kicker in this language: one of the built-in English kickers is translated,
    /// any other (a designer's own) is kept as written.
    pub fn kicker(&self, label: &str) -> String {
        match ENGLISH_KICKERS.iter().position(|k| k.eq_ignore_ascii_case(label.trim())) {
            Some(index) => self.kickers[index].to_string(),
            None => label.to_string(),
        }
    }

    /// "20x faster", "أسرع 20x", "מהיר פי 20" ...: a ratio written as `ratio`, in this language.
    pub fn change(&self, ratio: &str, trend: Trend) -> String {
        self.trends[trend as usize].replace("{}", ratio)
    }
}

static TABLE: [Words; 13] = [
    Words {
        language: "en",
        kickers: ENGLISH_KICKERS,
        swipe: "Swipe",
        before: "Before",
        after: "After",
        picked: "✓ PICKED",
        follow: Some("Follow for more"),
        cues: Some(["Save it", "Repost"]),
        trends: ["{}x faster", "{}x slower", "{}x smaller", "{}x larger", "{}x lower", "{}x higher"],
    },
    Words {
        language: "es",
        kickers: ["EL PROBLEMA", "LA CAUSA", "LA SOLUCIÓN", "LOS RESULTADOS", "LO APRENDIDO", "TU TURNO"],
        swipe: "Desliza",
        before: "Antes",
        after: "Después",
        picked: "✓ ELEGIDA",
        follow: Some("Sígueme para más"),
        cues: Some(["Guárdalo", "Compártelo"]),
        trends: ["{}x más rápido", "{}x más lento", "{}x más pequeño", "{}x más grande", "{}x menor", "{}x mayor"],
    },
    Words {
        language: "fr",
        kickers: ["LE PROBLÈME", "LA CAUSE", "LA SOLUTION", "LES RÉSULTATS", "CE QU'ON RETIENT", "À VOUS"],
        swipe: "Glissez",
        before: "Avant",
        after: "Après",
        picked: "✓ CHOISI",
        follow: Some("Suivez-moi pour la suite"),
        cues: Some(["Enregistrez", "Republiez"]),
        trends: [
            "{}x plus rapide",
            "{}x plus lent",
            "{}x plus petit",
            "{}x plus grand",
            "{}x plus bas",
            "{}x plus élevé",
        ],
    },
    Words {
        language: "de",
        kickers: ["DAS PROBLEM", "DIE URSACHE", "DIE LÖSUNG", "DIE ERGEBNISSE", "DAS NEHMEN WIR MIT", "JETZT DU"],
        swipe: "Wischen",
        before: "Vorher",
        after: "Nachher",
        picked: "✓ GEWÄHLT",
        follow: Some("Folge mir für mehr"),
        cues: Some(["Speichern", "Teilen"]),
        trends: ["{}x schneller", "{}x langsamer", "{}x kleiner", "{}x größer", "{}x niedriger", "{}x höher"],
    },
    Words {
        language: "pt",
        kickers: ["O PROBLEMA", "A CAUSA", "A SOLUÇÃO", "OS RESULTADOS", "O QUE APRENDEMOS", "SUA VEZ"],
        swipe: "Deslize",
        before: "Antes",
        after: "Depois",
        picked: "✓ ESCOLHIDA",
        follow: Some("Siga para mais"),
        cues: Some(["Salve", "Compartilhe"]),
        trends: ["{}x mais rápido", "{}x mais lento", "{}x menor", "{}x maior", "{}x menor", "{}x maior"],
    },
    Words {
        language: "ar",
        kickers: ["المشكلة", "السبب الجذري", "الحل", "النتائج", "أهم الدروس", "دورك"],
        swipe: "اسحب",
        before: "قبل",
        after: "بعد",
        picked: "✓ الاختيار",
        follow: Some("تابعني للمزيد"),
        cues: Some(["احفظه", "أعد النشر"]),
        trends: ["أسرع {}x", "أبطأ {}x", "أصغر {}x", "أكبر {}x", "أقل {}x", "أعلى {}x"],
    },
    Words {
        language: "he",
        kickers: ["הבעיה", "שורש הבעיה", "הפתרון", "התוצאות", "מה למדנו", "תורכם"],
        swipe: "החליקו",
        before: "לפני",
        after: "אחרי",
        picked: "✓ נבחר",
        follow: Some("עקבו לעוד"),
        cues: Some(["שמרו", "שתפו"]),
        trends: ["מהיר פי {}", "איטי פי {}", "קטן פי {}", "גדול פי {}", "נמוך פי {}", "גבוה פי {}"],
    },
    Words {
        language: "hi",
        kickers: ["समस्या", "मूल कारण", "समाधान", "नतीजे", "मुख्य सीख", "आपकी बारी"],
        swipe: "स्वाइप करें",
        before: "पहले",
        after: "बाद में",
        picked: "✓ चुना गया",
        follow: Some("और के लिए फ़ॉलो करें"),
        cues: Some(["सेव करें", "रीपोस्ट करें"]),
        trends: ["{} गुना तेज़", "{} गुना धीमा", "{} गुना छोटा", "{} गुना बड़ा", "{} गुना कम", "{} गुना ज़्यादा"],
    },
    Words {
        language: "th",
        kickers: ["ปัญหา", "ต้นเหตุ", "ทางแก้", "ผลลัพธ์", "บทเรียนสำคัญ", "ถึงตาคุณ"],
        swipe: "ปัดดู",
        before: "ก่อน",
        after: "หลัง",
        picked: "✓ เลือกแล้ว",
        follow: Some("ติดตามเพื่อดูเพิ่ม"),
        cues: Some(["บันทึก", "รีโพสต์"]),
        trends: ["เร็วขึ้น {} เท่า", "ช้าลง {} เท่า", "เล็กลง {} เท่า", "ใหญ่ขึ้น {} เท่า", "ลดลง {} เท่า", "สูงขึ้น {} เท่า"],
    },
    Words {
        language: "ja",
        kickers: ["課題", "根本原因", "解決策", "結果", "学んだこと", "あなたの番です"],
        swipe: "スワイプ",
        before: "改善前",
        after: "改善後",
        picked: "✓ 採用",
        follow: Some("フォローして続きを見る"),
        cues: Some(["保存", "リポスト"]),
        trends: ["{}倍速い", "{}倍遅い", "{}分の1に", "{}倍に", "{}分の1に", "{}倍に"],
    },
    Words {
        language: "zh",
        kickers: ["问题", "根本原因", "解决方案", "结果", "关键收获", "轮到你了"],
        swipe: "滑动",
        before: "优化前",
        after: "优化后",
        picked: "✓ 选定",
        follow: Some("关注获取更多"),
        cues: Some(["收藏", "转发"]),
        trends: ["快{}倍", "慢{}倍", "缩小{}倍", "增大{}倍", "降低{}倍", "提高{}倍"],
    },
    Words {
        language: "ko",
        kickers: ["문제", "근본 원인", "해결책", "결과", "핵심 교훈", "여러분 차례"],
        swipe: "넘기기",
        before: "개선 전",
        after: "개선 후",
        picked: "✓ 선택",
        follow: Some("팔로우하고 더 보기"),
        cues: Some(["저장", "리포스트"]),
        trends: ["{}배 빠름", "{}배 느림", "{}배 작음", "{}배 큼", "{}배 낮음", "{}배 높음"],
    },
    // Languages the table has no words for: the English words, and the cta's follow line and
    // cues left to the author.
    Words {
        language: "",
        kickers: ENGLISH_KICKERS,
        swipe: "Swipe",
        before: "Before",
        after: "After",
        picked: "✓ PICKED",
        follow: None,
        cues: None,
        trends: ["{}x faster", "{}x slower", "{}x smaller", "{}x larger", "{}x lower", "{}x higher"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_found_by_its_primary_subtag_in_any_case() {
        assert_eq!(Words::for_language("pt-BR").language, "pt");
        assert_eq!(Words::for_language("AR").kicker("THE PROBLEM"), "المشكلة");
        assert_eq!(Words::for_language("he").change("20", Trend::Faster), "מהיר פי 20");
        assert_eq!(Words::for_language("en").change("2.6", Trend::Lower), "2.6x lower");
        let unknown = Words::for_language("sw");
        assert_eq!((unknown.kicker("THE PROBLEM").as_str(), unknown.follow), ("THE PROBLEM", None));
    }

    #[test]
    fn a_designers_own_kicker_is_kept_as_written() {
        assert_eq!(Words::for_language("de").kicker("UNDER THE HOOD"), "UNDER THE HOOD");
        assert_eq!(Words::for_language("de").kicker("the solution"), "DIE LÖSUNG");
    }

    #[test]
    fn every_language_has_a_phrase_for_every_trend_with_its_ratio() {
        for words in &TABLE {
            for trend in words.trends {
                assert!(trend.contains("{}"), "{}: {trend}", words.language);
            }
            assert!(words.kickers.iter().all(|k| !k.is_empty()), "{}", words.language);
        }
    }
}
