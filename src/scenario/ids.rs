//! Typed indices into the validated scenario's lists.
//!
//! A CSIRT, an asset and a nation are all "the k-th of their list"; as bare
//! `usize`s nothing stopped a CSIRT's index from looking up an asset or a nation.
//! Each id below indexes only its own list (`scenario.csirts[csirt]`), so that
//! mix-up no longer compiles. The ids are positions, assigned by validation in
//! file order, so they are as deterministic as the scenario text.

use super::validated::{Asset, Csirt, IncidentStream, Inject, Nation, Outbreak, Scenario, Sector, Sop, Vendor};
use std::ops::{Index, IndexMut};

macro_rules! typed_id {
    ($(#[$doc:meta])* $id:ident indexes $item:ty, in $list:ident, by $each:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $id(u32);

        impl $id {
            /// The id of the `index`-th entry of its list.
            pub fn new(index: usize) -> Self {
                Self(u32::try_from(index).expect(concat!("a scenario has fewer than 2^32 of each ", stringify!($item))))
            }

            /// The position in its list, for per-entry tables the scores keep.
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl Index<$id> for [$item] {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                &self[id.index()]
            }
        }

        impl IndexMut<$id> for [$item] {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }

        impl Index<$id> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                &self[id.index()]
            }
        }

        impl IndexMut<$id> for Vec<$item> {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }

        impl Scenario {
            /// Every entry of the list with its id, in file order.
            pub fn $each(&self) -> impl ExactSizeIterator<Item = ($id, &$item)> + '_ {
                self.$list.iter().enumerate().map(|(k, item)| ($id::new(k), item))
            }
        }
    };
}

typed_id!(
    /// A CSIRT of `scenario.csirts`.
    CsirtId indexes Csirt, in csirts, by each_csirt
);
typed_id!(
    /// An asset of `scenario.assets`.
    AssetId indexes Asset, in assets, by each_asset
);
typed_id!(
    /// A nation of `scenario.nations`.
    NationId indexes Nation, in nations, by each_nation
);
typed_id!(
    /// A sector of `scenario.sectors`.
    SectorId indexes Sector, in sectors, by each_sector
);
typed_id!(
    /// A standard operating procedure of `scenario.sops`.
    SopId indexes Sop, in sops, by each_sop
);
typed_id!(
    /// A background incident stream of `scenario.streams`.
    StreamId indexes IncidentStream, in streams, by each_stream
);
typed_id!(
    /// An inject of `scenario.injects` (scheduled first, then contingency).
    InjectId indexes Inject, in injects, by each_inject
);
typed_id!(
    /// An outbreak of `scenario.outbreaks`.
    OutbreakId indexes Outbreak, in outbreaks, by each_outbreak
);
typed_id!(
    /// A vendor of `scenario.vendors`.
    VendorId indexes Vendor, in vendors, by each_vendor
);
