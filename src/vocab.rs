//! `text_enum!`: a closed vocabulary with one stable text per variant, the same in files, JSON,
//! the CLI and the app's generated TypeScript (a string union).

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        ///
        /// Crosses JSON and the app's boundary as its stable text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ipc", derive(specta::Type))]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text of this variant.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stable text; `None` for anything else.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted texts, for error messages.
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }
    };
}

pub(crate) use text_enum;
