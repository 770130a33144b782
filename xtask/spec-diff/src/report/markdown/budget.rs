//! Dividing the comment's bytes among blocks of very different sizes.

/// Renders every block within `budget` bytes in all. Blocks are taken smallest first (by `natural`, their
/// whole size), each given an equal share of what is left, so small blocks come out whole and what they
/// leave goes to the large ones. `render(block, share)` renders a block in at most `share` bytes, returning
/// it with the bytes it used, or `None` when nothing useful fits. Results are in block order.
pub(super) fn share<T>(
    natural: &[usize],
    budget: usize,
    mut render: impl FnMut(usize, usize) -> Option<(T, usize)>,
) -> Vec<Option<T>> {
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&block| (natural[block], block));
    let mut rendered: Vec<Option<T>> = (0..natural.len()).map(|_| None).collect();
    let mut left = budget;
    for (taken, &block) in order.iter().enumerate() {
        let share = left / (order.len() - taken);
        if let Some((value, used)) = render(block, share) {
            debug_assert!(used <= share, "block {block} used {used} of its {share} bytes");
            left -= used.min(left);
            rendered[block] = Some(value);
        }
    }
    rendered
}

/// `lines` joined, as many as fit in `budget` bytes with the line that counts the rest (`more(count)`).
pub(super) fn lines_within(lines: &[String], budget: usize, more: impl Fn(usize) -> String) -> String {
    let total: usize = lines.iter().map(String::len).sum();
    if total <= budget {
        return lines.concat();
    }
    let mut out = String::new();
    for (at, line) in lines.iter().enumerate() {
        // This line, and room for counting the ones after it.
        if out.len() + line.len() + more(lines.len() - at - 1).len() > budget {
            out.push_str(&more(lines.len() - at));
            break;
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_blocks_are_whole_and_large_ones_share_the_rest() {
        // 100 bytes for blocks of 10, 500 and 30: the two small ones whole, the large one what is left.
        let natural = [10, 500, 30];
        let shares = share(&natural, 100, |block, share| {
            let used = natural[block].min(share);
            Some((used, used))
        });
        assert_eq!(shares, [Some(10), Some(60), Some(30)]);
    }

    #[test]
    fn a_block_that_does_not_fit_leaves_its_share_to_the_others() {
        let natural = [40, 40, 40];
        let shares = share(&natural, 90, |block, share| (block != 0 && share >= 40).then_some((block, 40)));
        assert_eq!(shares, [None, Some(1), Some(2)]);
    }

    #[test]
    fn lines_past_the_budget_are_counted() {
        let lines: Vec<String> = (0..10).map(|n| format!("line {n}\n")).collect();
        let more = |count: usize| if count == 0 { String::new() } else { format!("+{count}\n") };
        assert_eq!(lines_within(&lines, 1000, more), lines.concat());
        let cut = lines_within(&lines, 24, more);
        assert_eq!(cut, "line 0\nline 1\nline 2\n+7\n");
        assert!(cut.len() <= 24);
    }
}
