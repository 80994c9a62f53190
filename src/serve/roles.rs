//! Who is asking: the controller, the projector, or one national team, each
//! known by an unguessable token in its URL. A token opens its own view and its
//! own actions and nothing else; the check is made on the server for every
//! request, never left to what a page shows.

use crate::scenario::{CsirtId, Scenario};
use subtle::ConstantTimeEq;

/// A role in a served exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Runs the exercise and sees the ground truth.
    Controller,
    /// The room's screen: nothing secret.
    Projector,
    /// One CSIRT's players: what that CSIRT knows, and the decisions it owns.
    Team(CsirtId),
}

impl Role {
    /// Who did it, as the journal records it: `controller`, `team kv-cert`.
    pub fn actor(self, scenario: &Scenario) -> String {
        match self {
            Role::Controller => "controller".into(),
            Role::Projector => "projector".into(),
            Role::Team(c) => format!("team {}", scenario.csirts[c.index()].id),
        }
    }
}

/// The session's tokens, one per role.
pub struct Tokens {
    controller: String,
    projector: String,
    /// Per CSIRT, in scenario order.
    teams: Vec<String>,
}

/// Bytes of randomness in a token: 256 bits, hex encoded.
const TOKEN_BYTES: usize = 32;

fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Tokens {
    /// Fresh tokens from the operating system's generator (never from the
    /// scenario's seeded streams: those are reproducible by design).
    pub fn new(scenario: &Scenario) -> Result<Self, getrandom::Error> {
        Ok(Self {
            controller: new_token()?,
            projector: new_token()?,
            teams: scenario.csirts.iter().map(|_| new_token()).collect::<Result<_, _>>()?,
        })
    }

    /// Tokens read back from a session directory.
    pub fn from_parts(controller: String, projector: String, teams: Vec<String>) -> Self {
        Self { controller, projector, teams }
    }

    pub fn controller(&self) -> &str {
        &self.controller
    }

    pub fn projector(&self) -> &str {
        &self.projector
    }

    pub fn team(&self, csirt: CsirtId) -> &str {
        &self.teams[csirt.index()]
    }

    /// The role a presented token belongs to. Every token is compared, in
    /// constant time, whatever matches first: the time taken says nothing about
    /// how much of a token was right.
    pub fn role_of(&self, presented: &str) -> Option<Role> {
        let same = |token: &str| bool::from(presented.as_bytes().ct_eq(token.as_bytes()));
        let mut role = None;
        if same(&self.controller) {
            role = Some(Role::Controller);
        }
        if same(&self.projector) {
            role = Some(Role::Projector);
        }
        for (k, token) in self.teams.iter().enumerate() {
            if same(token) {
                role = Some(Role::Team(CsirtId::new(k)));
            }
        }
        role
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_file;
    use std::path::Path;

    #[test]
    fn each_token_opens_its_own_role_and_no_other() {
        let scenario = load_file(Path::new("scenarios/island-cable-cut.ron"), &[]).unwrap();
        let tokens = Tokens::new(&scenario).unwrap();
        assert_eq!(tokens.controller().len(), 64);
        assert_eq!(tokens.role_of(tokens.controller()), Some(Role::Controller));
        assert_eq!(tokens.role_of(tokens.projector()), Some(Role::Projector));
        for k in 0..scenario.csirts.len() {
            let c = CsirtId::new(k);
            assert_eq!(tokens.role_of(tokens.team(c)), Some(Role::Team(c)));
        }
        assert_eq!(tokens.role_of(""), None);
        assert_eq!(tokens.role_of(&tokens.controller()[..63]), None, "a prefix is not the token");
        let other = Tokens::new(&scenario).unwrap();
        assert_eq!(tokens.role_of(other.controller()), None, "another session's token");
    }
}
