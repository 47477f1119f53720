using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>
/// One building: a front face parallel to the image, optionally a side face receding toward a vanishing point on the
/// horizon, a roof, and any dome, towers, door and windows.
/// </summary>
internal sealed class BuildingPlan
{
    public required BuildingKind Kind { get; init; }

    /// <summary>Centre x of the front face.</summary>
    public required float X { get; set; }

    /// <summary>Where the building meets the ground (its depth order).</summary>
    public required float BaseY { get; init; }

    public required float Width { get; set; }

    public required float WallHeight { get; set; }

    /// <summary>Height of the gable or hipped roof above the walls.</summary>
    public required float RoofHeight { get; set; }

    /// <summary>Which side face is visible: -1 left, +1 right, 0 none.</summary>
    public required int Side { get; init; }

    /// <summary>Image width of the visible side face.</summary>
    public required float SideWidth { get; set; }

    /// <summary>Horizontal distance from the front face's centre to the side's vanishing point.</summary>
    public required float VanishDistance { get; init; }

    public required MasonryPlan Masonry { get; init; }

    public required RoofStyle Roof { get; init; }

    public required Rgb RoofColor { get; init; }

    public required float RoofRowHeight { get; init; }

    public required uint RoofSalt { get; init; }

    public DomePlan? Dome { get; init; }

    public TowerPlan? Tower { get; init; }

    /// <summary>A second tower mirroring the first (twin-towered façades).</summary>
    public TowerPlan? SecondTower { get; init; }

    public DoorPlan? Door { get; init; }

    public required WindowPlan Windows { get; init; }

    public required bool Chimney { get; init; }

    /// <summary>Multiplies every size, keeping the base where it is (used to keep tall buildings inside the image).</summary>
    public void Scale(float k)
    {
        Width *= k;
        WallHeight *= k;
        RoofHeight *= k;
        SideWidth *= k;
        if (Dome is not null)
        {
            Dome.Radius *= k;
            Dome.Height *= k;
            Dome.DrumHeight *= k;
        }

        foreach (TowerPlan? t in (ReadOnlySpan<TowerPlan?>)[Tower, SecondTower])
        {
            if (t is null)
            {
                continue;
            }

            t.Width *= k;
            t.ShaftHeight *= k;
            t.TopHeight *= k;
            if (t.Dome is not null)
            {
                t.Dome.Radius *= k;
                t.Dome.Height *= k;
            }
        }

        if (Door is not null)
        {
            Door.CenterX = X + ((Door.CenterX - X) * k);
            Door.Width *= k;
            Door.Height *= k;
        }
    }
}
