namespace SemanticManipulation.Training.World.Layout;

/// <summary>The light a scene is photographed in; it sets the sky palette, sun height and colour, and cloud look.</summary>
internal enum TimeOfDay
{
    Day,
    Dusk,
    Overcast,
}
