//! `PerDimension<T>`: one value per scoring dimension, indexed by [`Dimension`] and iterated in
//! report order ([`Dimension::ALL`]), so that no code keeps dimensions at positions of its own.

use std::ops::{Index, IndexMut};

use crate::model::pack::Dimension;

/// One `T` for each [`Dimension`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PerDimension<T>([T; Dimension::ALL.len()]);

impl<T> PerDimension<T> {
    /// The value of each dimension, as `value` gives it, computed in report order.
    pub fn from_fn(mut value: impl FnMut(Dimension) -> T) -> PerDimension<T> {
        PerDimension(Dimension::ALL.map(&mut value))
    }

    /// Every value, mutable, in report order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut()
    }
}

impl<T> Index<Dimension> for PerDimension<T> {
    type Output = T;

    fn index(&self, dimension: Dimension) -> &T {
        &self.0[dimension as usize]
    }
}

impl<T> IndexMut<Dimension> for PerDimension<T> {
    fn index_mut(&mut self, dimension: Dimension) -> &mut T {
        &mut self.0[dimension as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Indexing by `dimension as usize` is right only while the enum's order is report order.
    #[test]
    fn a_dimension_indexes_its_own_value() {
        let mut map = PerDimension::from_fn(Dimension::as_str);
        for d in Dimension::ALL {
            assert_eq!(map[d], d.as_str());
        }
        let order: Vec<&str> = map.values_mut().map(|v| *v).collect();
        assert_eq!(
            order,
            ["context", "trade-offs", "ownership", "communication"]
        );
    }
}
