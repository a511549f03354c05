//! Agreement measures between the engine and human grades: Spearman's rank correlation, quadratic
//! weighted kappa, exact and within-one agreement, and the confusion matrix of levels.
//!
//! Pure functions over slices. A measure that is undefined for its input (fewer than two answers,
//! or one side constant, so there is no order or no spread to agree with) is `None`, never NaN:
//! reports print it as `n/a` and JSON as `null`, and a threshold on it fails.

/// Levels are 1 (Missing) to 4 (Strong).
pub const LEVELS: usize = 4;

/// The average rank (1-based) of each value; tied values share the mean of their positions.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]].total_cmp(&values[order[i]]).is_eq() {
            j += 1;
        }
        // Positions i..=j (0-based) share the mean of ranks i+1..=j+1.
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = mean;
        }
        i = j + 1;
    }
    out
}

/// Pearson's correlation, or `None` when either side has no spread or the lengths differ.
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    if vx <= 0.0 || vy <= 0.0 {
        return None;
    }
    // Rounding can push a perfect correlation a hair past 1.
    Some((cov / (vx * vy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation (Pearson's correlation of average ranks, so ties are handled).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&ranks(x), &ranks(y))
}

/// Counts of (expected level, engine level) pairs: `matrix[expected - 1][got - 1]`. Levels
/// outside 1-4 are clamped into it.
pub fn confusion(expected: &[u8], got: &[u8]) -> [[u32; LEVELS]; LEVELS] {
    let mut matrix = [[0u32; LEVELS]; LEVELS];
    for (&e, &g) in expected.iter().zip(got) {
        matrix[index(e)][index(g)] += 1;
    }
    matrix
}

fn index(level: u8) -> usize {
    usize::from(level.clamp(1, LEVELS as u8) - 1)
}

/// Cohen's kappa with quadratic weights over levels 1-4, from a confusion matrix. `None` when
/// the agreement expected by chance is already perfect (both sides use one and the same level)
/// or there are no answers.
pub fn quadratic_kappa(matrix: &[[u32; LEVELS]; LEVELS]) -> Option<f64> {
    let total: f64 = matrix.iter().flatten().map(|&c| f64::from(c)).sum();
    if total == 0.0 {
        return None;
    }
    let rows: Vec<f64> = matrix
        .iter()
        .map(|r| r.iter().map(|&c| f64::from(c)).sum())
        .collect();
    let cols: Vec<f64> = (0..LEVELS)
        .map(|j| matrix.iter().map(|r| f64::from(r[j])).sum())
        .collect();
    let span = (LEVELS - 1) as f64;
    let (mut observed, mut chance) = (0.0, 0.0);
    for i in 0..LEVELS {
        for j in 0..LEVELS {
            let weight = ((i as f64 - j as f64) / span).powi(2);
            observed += weight * f64::from(matrix[i][j]);
            chance += weight * rows[i] * cols[j] / total;
        }
    }
    if chance <= 0.0 {
        return None;
    }
    Some(1.0 - observed / chance)
}

/// Share of pairs whose levels are equal, and share within one level, each 0-1; `None` when
/// there are no pairs.
pub fn agreement(expected: &[u8], got: &[u8]) -> Option<(f64, f64)> {
    let n = expected.len().min(got.len());
    if n == 0 {
        return None;
    }
    let pairs = expected.iter().zip(got);
    let exact = pairs.clone().filter(|(e, g)| e == g).count();
    let within = pairs.filter(|(e, g)| e.abs_diff(**g) <= 1).count();
    Some((exact as f64 / n as f64, within as f64 / n as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn ties_share_the_mean_of_their_positions() {
        assert_eq!(ranks(&[5.0, 1.0, 5.0]), [2.5, 1.0, 2.5]);
        assert_eq!(ranks(&[2.0, 2.0, 2.0, 1.0]), [3.0, 3.0, 3.0, 1.0]);
        assert_eq!(ranks(&[]), Vec::<f64>::new());
    }

    #[test]
    fn spearman_of_ordered_reversed_and_tied_inputs() {
        assert!(close(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 35.0]), 1.0));
        assert!(close(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0));
        // x ranks 1,2,3,4; y = [1,2,2,3] ranks 1,2.5,2.5,4. By hand: means 2.5 and 2.5,
        // deviations (-1.5,-.5,.5,1.5) and (-1.5,0,0,1.5): cov 4.5, vx 5, vy 4.5,
        // rho = 4.5 / sqrt(22.5) = 0.948683...
        assert!(close(
            spearman(&[0.1, 0.2, 0.3, 0.4], &[1.0, 2.0, 2.0, 3.0]),
            4.5 / 22.5f64.sqrt()
        ));
        // y ranks 1, 3, 2, 4; d = (0, -1, 1, 0), no ties: 1 - 6*2/(4*15) = 0.8.
        assert!(close(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 4.0, 1.5, 4.5]),
            0.8
        ));
    }

    #[test]
    fn spearman_is_undefined_not_nan_without_spread() {
        assert_eq!(spearman(&[0.5, 0.5, 0.5], &[1.0, 2.0, 3.0]), None);
        assert_eq!(spearman(&[1.0, 2.0], &[3.0, 3.0]), None);
        assert_eq!(spearman(&[1.0], &[1.0]), None);
        assert_eq!(spearman(&[], &[]), None);
    }

    #[test]
    fn confusion_rows_are_expected_columns_are_engine() {
        let m = confusion(&[1, 4, 4, 2], &[1, 3, 4, 9]);
        assert_eq!(m[0][0], 1);
        assert_eq!(m[3][2], 1);
        assert_eq!(m[3][3], 1);
        assert_eq!(m[1][3], 1, "out-of-range levels are clamped");
        assert_eq!(m.iter().flatten().sum::<u32>(), 4);
    }

    #[test]
    fn kappa_of_perfect_reversed_and_hand_computed_cases() {
        let same = [1, 2, 3, 4];
        assert!(close(quadratic_kappa(&confusion(&same, &same)), 1.0));
        // Fully reversed on a symmetric spread: observed weight 2*(1 + 1/9) = 20/9, chance
        // weight (sum of all weights)/4 = (40/9)/4 = 10/9: kappa = 1 - 2 = -1.
        assert!(close(
            quadratic_kappa(&confusion(&same, &[4, 3, 2, 1])),
            -1.0
        ));
        // Expected [1,1,2,2], engine [1,2,2,2]: observed weight 1/9 (one pair off by one).
        // Rows (2,2), columns (1,3), total 4: chance = 2*3/4 * 1/9 (row 1, col 2)
        // + 2*1/4 * 1/9 (row 2, col 1) = (1.5 + 0.5)/9 = 2/9. kappa = 1 - (1/9)/(2/9) = 0.5.
        assert!(close(
            quadratic_kappa(&confusion(&[1, 1, 2, 2], &[1, 2, 2, 2])),
            0.5
        ));
    }

    #[test]
    fn kappa_is_undefined_when_both_sides_use_one_level() {
        assert_eq!(quadratic_kappa(&confusion(&[3, 3], &[3, 3])), None);
        assert_eq!(quadratic_kappa(&confusion(&[], &[])), None);
        // One side constant, the other not: chance disagreement exists, kappa is defined (0).
        assert!(close(quadratic_kappa(&confusion(&[2, 2], &[1, 3])), 0.0));
    }

    #[test]
    fn agreement_counts_exact_and_adjacent_levels() {
        assert_eq!(agreement(&[1, 2, 3, 4], &[1, 3, 1, 4]), Some((0.5, 0.75)));
        assert_eq!(agreement(&[], &[]), None);
    }
}
