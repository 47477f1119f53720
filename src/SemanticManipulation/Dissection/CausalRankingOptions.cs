namespace SemanticManipulation.Dissection;

/// <summary>
/// Re-ranks each concept's units by their average causal effect (GAN Dissection's intervention measure) instead of
/// their IoU: a unit is set to its level in a square of random generated scenes, and the segmenter's share of the
/// concept in that square before and after is compared. IoU says where a unit fires alongside a concept; the causal
/// effect says whether turning it on draws the concept, which is what an "add" edit needs. On small generators the
/// two can disagree: units that co-occur with trees without drawing them rank high by IoU.
/// <para>
/// Removal gets a ranking of its own (<see cref="RankForRemoval"/>): the units whose switching on draws a concept are
/// not those whose switching off erases it, and GAN Dissection ranks units for removal by ablation.
/// </para>
/// </summary>
public sealed class CausalRankingOptions
{
    /// <summary>How many of the concept's best units by IoU are tried (the rest are not considered). Default 40.</summary>
    public int Candidates { get; set; } = 40;

    /// <summary>Random scenes each unit is inserted into; the same scenes and squares for every unit. Default 64. The
    /// removal ranking uses as many scenes per concept: those showing the concept most among four times as many drawn.</summary>
    public int Samples { get; set; } = 64;

    /// <summary>Side of the square the unit is inserted into, in cells of the split layer's grid. Default 3 (24 pixels
    /// of a 64² image from an 8×8 layer4).</summary>
    public int RegionCells { get; set; } = 3;

    /// <summary>
    /// Whether each concept also gets a ranking for the remove operator: its candidates set to 0 in the cells where the
    /// segmenter finds the concept, in scenes that show it, and ranked (selected, ordered and pruned as for adding) by how
    /// much of the concept's share there disappears (GAN Dissection's ablation). It costs about as much again as the add
    /// ranking. Default true.
    /// </summary>
    public bool RankForRemoval { get; set; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 1, nameof(Candidates));
        ArgumentOutOfRangeException.ThrowIfLessThan(Samples, 1, nameof(Samples));
        ArgumentOutOfRangeException.ThrowIfLessThan(RegionCells, 1, nameof(RegionCells));
    }
}
