//! The fuzzer's bytes, read as small numbers.

/// Reads bytes in order; past the end every read is `None` (or 0).
#[derive(Clone, Debug)]
pub struct Bytes<'a> {
    data: &'a [u8],
    position: usize,
}

impl<'a> Bytes<'a> {
    /// Starts at the first byte.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, position: 0 }
    }

    /// The next byte, if any.
    pub fn byte(&mut self) -> Option<u8> {
        let byte = self.data.get(self.position).copied();
        self.position += usize::from(byte.is_some());
        byte
    }

    /// The next byte modulo `n` (`n > 0`); 0 past the end.
    pub fn below(&mut self, n: usize) -> usize {
        self.byte().map_or(0, |byte| usize::from(byte) % n)
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.position.min(self.data.len())..]
    }
}

#[cfg(test)]
mod tests {
    use super::Bytes;

    #[test]
    fn reads_in_order_then_zero() {
        let mut bytes = Bytes::new(&[7, 200]);
        assert_eq!(bytes.below(5), 2);
        assert_eq!(bytes.rest(), &[200]);
        assert_eq!(bytes.byte(), Some(200));
        assert_eq!(bytes.byte(), None);
        assert_eq!(bytes.below(3), 0);
        assert!(bytes.rest().is_empty());
    }
}
