//! Who is asking: the controller, the projector, or one national team, each
//! known by an unguessable token in its URL. A token opens its own view and its
//! own actions and nothing else; the check is made on the server for every
//! request, never left to what a page shows.

use crate::scenario::{CsirtId, Scenario};
use subtle::ConstantTimeEq;

/// A team in a served exercise, by its place in [`teams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TeamId(usize);

impl TeamId {
    pub fn new(index: usize) -> Self {
        Self(index)
    }

    pub fn index(self) -> usize {
        self.0
    }
}

/// The players at one table: a CSIRT, or a group of CSIRTs the scenario names
/// (`team_groups`), who see what each of their CSIRTs knows and answer the
/// decisions each owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseTeam {
    /// The CSIRT's id, or the group's: in the team's URL and the journal.
    pub id: String,
    pub name: String,
    pub csirts: Vec<CsirtId>,
}

/// Every team of a served exercise, in scenario order: a CSIRT on its own, or
/// its group at the place of the group's first CSIRT.
pub fn teams(scenario: &Scenario) -> Vec<ExerciseTeam> {
    let mut teams = Vec::new();
    let mut placed = vec![false; scenario.team_groups.len()];
    for (c, csirt) in scenario.each_csirt() {
        match scenario.team_groups.iter().position(|g| g.csirts.contains(&c)) {
            Some(g) if placed[g] => {}
            Some(g) => {
                placed[g] = true;
                let group = &scenario.team_groups[g];
                teams.push(ExerciseTeam {
                    id: group.id.clone(),
                    name: group.name.clone(),
                    csirts: group.csirts.clone(),
                });
            }
            None => teams.push(ExerciseTeam { id: csirt.id.clone(), name: csirt.name.clone(), csirts: vec![c] }),
        }
    }
    teams
}

/// The team that answers for `csirt`.
pub fn team_of(teams: &[ExerciseTeam], csirt: CsirtId) -> Option<TeamId> {
    teams.iter().position(|t| t.csirts.contains(&csirt)).map(TeamId::new)
}

/// A role in a served exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Runs the exercise and sees the ground truth.
    Controller,
    /// The room's screen: nothing secret.
    Projector,
    /// One team's players: what its CSIRTs know, and the decisions they own.
    Team(TeamId),
}

impl Role {
    /// Who did it, as the journal records it: `controller`, `team kv-cert`.
    pub fn actor(self, teams: &[ExerciseTeam]) -> String {
        match self {
            Role::Controller => "controller".into(),
            Role::Projector => "projector".into(),
            Role::Team(t) => format!("team {}", teams[t.index()].id),
        }
    }
}

/// The session's tokens, one per role.
pub struct Tokens {
    controller: String,
    projector: String,
    /// Per team, in [`teams`] order.
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
    pub fn new(teams: &[ExerciseTeam]) -> Result<Self, getrandom::Error> {
        Ok(Self {
            controller: new_token()?,
            projector: new_token()?,
            teams: teams.iter().map(|_| new_token()).collect::<Result<_, _>>()?,
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

    pub fn team(&self, team: TeamId) -> &str {
        &self.teams[team.index()]
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
                role = Some(Role::Team(TeamId::new(k)));
            }
        }
        role
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Override, load_file};
    use std::path::Path;

    #[test]
    fn each_token_opens_its_own_role_and_no_other() {
        let scenario = load_file(Path::new("scenarios/island-cable-cut.ron"), &[]).unwrap();
        let teams = teams(&scenario);
        let tokens = Tokens::new(&teams).unwrap();
        assert_eq!(tokens.controller().len(), 64);
        assert_eq!(tokens.role_of(tokens.controller()), Some(Role::Controller));
        assert_eq!(tokens.role_of(tokens.projector()), Some(Role::Projector));
        for k in 0..teams.len() {
            let t = TeamId::new(k);
            assert_eq!(tokens.role_of(tokens.team(t)), Some(Role::Team(t)));
        }
        assert_eq!(tokens.role_of(""), None);
        assert_eq!(tokens.role_of(&tokens.controller()[..63]), None, "a prefix is not the token");
        let other = Tokens::new(&teams).unwrap();
        assert_eq!(tokens.role_of(other.controller()), None, "another session's token");
    }

    #[test]
    fn a_group_is_one_team_at_its_first_csirts_place() {
        let group = r#"[TeamGroup(id: "south", name: "Southern cell", csirts: ["so-cert", "kv-cert"])]"#;
        let scenario = load_file(Path::new("scenarios/pacific-regional.ron"), &[Override::new("team_groups", group)])
            .unwrap_or_else(|d| panic!("{d}"));
        let teams = teams(&scenario);
        let ids: Vec<&str> = teams.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["tv-cert", "south", "mr-cert", "ar-cert"]);
        assert_eq!(teams[1].name, "Southern cell");
        let kv = CsirtId::new(1);
        assert_eq!(team_of(&teams, kv), Some(TeamId::new(1)));
        assert_eq!(teams[1].csirts, [CsirtId::new(2), kv], "in the order the group lists them");
    }
}
