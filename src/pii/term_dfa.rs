//! The automaton the lexicon terms are searched with ([`TermDfa`]): Aho–Corasick as a full DFA
//! over byte classes.

/// An Aho–Corasick automaton as a full DFA over byte classes, searched for every occurrence of
/// every pattern (overlapping, standard semantics): a term rejected for its word boundaries
/// cannot hide another one at the same place. Matches come in the order of their end, and at
/// one end the longest first, then by pattern index, as the `aho-corasick` crate reports them
/// (a test checks this against it). Written out here because the search is the hottest loop of
/// the lexicon scan, and a plain table walk is faster than the crate's general searcher.
pub(crate) struct TermDfa {
    /// Byte → class; bytes in no pattern share class 0.
    classes: [u8; 256],
    n_classes: usize,
    /// `trans[state * n_classes + class]`: the next state times `n_classes`, with
    /// [`TermDfa::MATCH`] set when it has matches.
    trans: Vec<u32>,
    /// The patterns that end in each state (`match_ranges[state]` in `match_pids`).
    match_ranges: Vec<(u32, u32)>,
    match_pids: Vec<u32>,
    /// Pattern lengths in bytes.
    lens: Vec<u32>,
}

impl TermDfa {
    const MATCH: u32 = 1 << 31;

    /// The automaton of `patterns`; a pattern's index is its id in the matches.
    pub(crate) fn new<P: AsRef<[u8]>>(patterns: &[P]) -> TermDfa {
        let mut classes = [0u8; 256];
        let mut n_classes = 1;
        for p in patterns {
            for &b in p.as_ref() {
                if classes[usize::from(b)] == 0 {
                    classes[usize::from(b)] = n_classes as u8;
                    n_classes += 1;
                }
            }
        }
        // The trie: children by class, and the patterns that end in each state.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (pid, p) in patterns.iter().enumerate() {
            let mut state = 0usize;
            for &b in p.as_ref() {
                let class = classes[usize::from(b)];
                state = match children[state].iter().find(|c| c.0 == class) {
                    Some(&(_, next)) => next as usize,
                    None => {
                        let next = children.len();
                        children[state].push((class, next as u32));
                        children.push(Vec::new());
                        own.push(Vec::new());
                        next
                    }
                };
            }
            own[state].push(pid as u32);
        }
        // Breadth first: failure links, match lists (a state's own patterns, then those of its
        // failure state) and the full transition table.
        let n = children.len();
        let mut fail = vec![0usize; n];
        let mut matches: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut trans = vec![0u32; n * n_classes];
        let mut queue = std::collections::VecDeque::new();
        matches[0] = own[0].clone();
        for &(class, child) in &children[0] {
            trans[usize::from(class)] = child;
            queue.push_back(child as usize);
        }
        while let Some(state) = queue.pop_front() {
            let f = fail[state];
            let mut m = own[state].clone();
            m.extend_from_slice(&matches[f]);
            matches[state] = m;
            for class in 0..n_classes {
                // Without a child the state goes where its failure state goes.
                trans[state * n_classes + class] = trans[f * n_classes + class];
            }
            for &(class, child) in &children[state] {
                let child = child as usize;
                // A child's failure state is where the failure state goes on the same byte.
                fail[child] = trans[f * n_classes + usize::from(class)] as usize;
                trans[state * n_classes + usize::from(class)] = child as u32;
                queue.push_back(child);
            }
        }
        let mut match_ranges = Vec::with_capacity(n);
        let mut match_pids = Vec::new();
        for m in &matches {
            let from = match_pids.len() as u32;
            match_pids.extend_from_slice(m);
            match_ranges.push((from, match_pids.len() as u32));
        }
        for t in &mut trans {
            let has_matches = !matches[*t as usize].is_empty();
            *t *= n_classes as u32;
            if has_matches {
                *t |= Self::MATCH;
            }
        }
        TermDfa {
            classes,
            n_classes,
            trans,
            match_ranges,
            match_pids,
            lens: patterns.iter().map(|p| p.as_ref().len() as u32).collect(),
        }
    }

    /// Every occurrence of every pattern in `hay`: (pattern, start, end), into `out`.
    ///
    /// A walk through a DFA waits on each step for the one before; so a longer text is cut in
    /// two after a byte of no pattern (where the automaton is back at its start whatever came
    /// before) and both halves are walked at once.
    pub(crate) fn find_all(&self, hay: &[u8], out: &mut Vec<(usize, usize, usize)>) {
        let half = hay.len() / 2;
        let cut = (hay.len() >= 64)
            .then(|| {
                hay[half..]
                    .iter()
                    .position(|&b| self.classes[usize::from(b)] == 0)
            })
            .flatten()
            .map(|k| half + k + 1);
        let Some(m) = cut.filter(|&m| m < hay.len()) else {
            self.walk(hay, 0, 0, hay.len(), out);
            return;
        };
        let (trans, classes) = (self.trans.as_slice(), &self.classes);
        let mut second = Vec::new();
        let (mut sa, mut sb) = (0usize, 0usize);
        let (mut ia, mut ib) = (0usize, m);
        while ia < m && ib < hay.len() {
            let (mut ta, mut tb) = (0, 0);
            while ia < m && ib < hay.len() {
                ta = trans[sa + usize::from(classes[usize::from(hay[ia])])];
                tb = trans[sb + usize::from(classes[usize::from(hay[ib])])];
                sa = (ta & !Self::MATCH) as usize;
                sb = (tb & !Self::MATCH) as usize;
                ia += 1;
                ib += 1;
                if (ta | tb) & Self::MATCH != 0 {
                    break;
                }
            }
            if ta & Self::MATCH != 0 {
                self.emit(sa, ia, out);
            }
            if tb & Self::MATCH != 0 {
                self.emit(sb, ib, &mut second);
            }
        }
        self.walk(hay, sa, ia, m, out);
        self.walk(hay, sb, ib, hay.len(), &mut second);
        out.append(&mut second);
    }

    /// The matches of `hay[from..to]` from `state` (times `n_classes`), into `out`.
    fn walk(
        &self,
        hay: &[u8],
        mut state: usize,
        from: usize,
        to: usize,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        let (trans, classes) = (self.trans.as_slice(), &self.classes);
        let mut i = from;
        while i < to {
            // A tight loop to the next state with matches (nothing else in it, so the state
            // stays in a register).
            let mut t = 0;
            for &b in &hay[i..to] {
                t = trans[state + usize::from(classes[usize::from(b)])];
                state = (t & !Self::MATCH) as usize;
                i += 1;
                if t & Self::MATCH != 0 {
                    break;
                }
            }
            if t & Self::MATCH == 0 {
                break;
            }
            self.emit(state, i, out);
        }
    }

    /// The matches of `state` (times `n_classes`), reached at `end`.
    fn emit(&self, state: usize, end: usize, out: &mut Vec<(usize, usize, usize)>) {
        let (from, to) = self.match_ranges[state / self.n_classes];
        for &pid in &self.match_pids[from as usize..to as usize] {
            let pid = pid as usize;
            out.push((pid, end - self.lens[pid] as usize, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::terms::{term_patterns, CATEGORIES_DATA};

    #[test]
    fn term_automaton_finds_what_aho_corasick_finds() {
        // The order of the matches matters (ties in the hit sort keep it), so it is compared
        // too: by end, the longest first, then by pattern index.
        let (patterns, _) = term_patterns();
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&patterns)
            .expect("automaton builds");
        let dfa = TermDfa::new(&patterns);
        let pieces: Vec<&str> = patterns.iter().map(String::as_str).step_by(3).collect();
        let mut texts =
            crate::pii::testing::random_texts(13, 800, 80, &pieces, "abcdefgh æøå-.,\n");
        texts.push(CATEGORIES_DATA.to_lowercase());
        texts.push(patterns.concat());
        for t in &texts {
            let want: Vec<(usize, usize, usize)> = ac
                .find_overlapping_iter(t.as_str())
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            let mut got = Vec::new();
            dfa.find_all(t.as_bytes(), &mut got);
            assert_eq!(got, want, "{t:?}");
        }
    }
}
