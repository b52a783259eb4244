namespace GovFlow.Activities.Cases;

/// <summary>EMS 寄递: what is posted where, the waybill number and its tracking.</summary>
public sealed class WaybillRecord
{
    /// <summary>What is posted (result, materials).</summary>
    public string? Item { get; set; }
    /// <summary>Where to.</summary>
    public string? Address { get; set; }
    /// <summary>The waybill number.</summary>
    public string? Number { get; set; }
    /// <summary>created, collected, inTransit, delivered, returned or failed.</summary>
    public string? Status { get; set; }
    /// <summary>The tracking events.</summary>
    public List<WaybillEvent> History { get; set; } = [];
    /// <summary>Why it could not be delivered.</summary>
    public string? Problem { get; set; }
}

/// <summary>A tracking event of a waybill.</summary>
public sealed class WaybillEvent
{
    /// <summary>The status reached.</summary>
    public string Status { get; set; } = "";
    /// <summary>The carrier's words.</summary>
    public string? Detail { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }
}
