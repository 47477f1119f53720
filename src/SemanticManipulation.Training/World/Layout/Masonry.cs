namespace SemanticManipulation.Training.World.Layout;

/// <summary>What a building's walls (and towers) are built of; it is also the label those pixels get.</summary>
internal enum Masonry
{
    Brick,
    Stone,
}
