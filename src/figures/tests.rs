use super::*;

#[test]
fn dump() {
    let t = "60.1 F\nTuesday, February 11, 2025\nNorth Korea sent over 200 long-range artillery pieces to Russia, South Korean military estimates. The U.S. said approximately 200 long-range artillery pieces, over 11,000 troops and 8 million artillery shells went. A parade on September 9, 2023 marked the 75th anniversary. Earlier it said more than 160 pieces of artillery; later \"more than 160 pieces\" of artillery. 2024 marks the final year of North Korea's five-year defence plan. Troops numbering 11,000, a force of 12,000 and an 11,000-strong contingent. The number of troops rose to 12,000. Artillery pieces: 200. Between 10,000 and 12,000 soldiers, 10,000-12,000 soldiers, 1.5 to 2 million people, $3.2 billion in aid, 25% of voters, two hundred tanks, eleven thousand five hundred troops, a dozen drones, half a million refugees, twenty-five soldiers, tens of thousands of people, dozens of tanks, 10k troops, 2bn euros, KN-23 and Su-27 missiles, 240mm rockets, call 555-123-4567, aged 45, a 45-year-old man, No. 1 priority, page 12, at 10:30, 11 000 troops, in 2023, 2021-2025.";
    for m in mentions(t) {
        println!("{:>12} {:?} {:?} {:?} noun={:?} text={:?}", m.value, m.low, m.qualifier, m.kind, m.noun, m.text);
    }
    panic!();
}
