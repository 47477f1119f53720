namespace SemanticManipulation.Training.World.Layout;

/// <summary>What crowns a tower. Spires and pyramids are labelled roof, onions and domes dome, battlements the masonry.</summary>
internal enum TowerTop
{
    Spire,
    Pyramid,
    Onion,
    Dome,
    Battlement,
}
