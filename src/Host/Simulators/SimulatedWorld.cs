using System.Collections.Concurrent;
using Bogus;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;

namespace GovFlow.Host.Simulators;

/// <summary>A person of the simulated city.</summary>
public sealed record SimPerson(string Name, string IdNumber, string Phone, string Address, DateOnly BirthDate);

/// <summary>A resident as the simulated population database (人口库) holds them.</summary>
/// <param name="IdNumber">Citizen ID number.</param>
/// <param name="Name">Name.</param>
/// <param name="BirthDate">Birth date.</param>
/// <param name="HukouCity">Hukou city.</param>
/// <param name="HukouDistrict">Hukou district code.</param>
/// <param name="Address">Hukou address.</param>
/// <param name="Phone">Mobile phone.</param>
/// <param name="Alive">Alive.</param>
/// <param name="CriminalRecord">Has a criminal record.</param>
/// <param name="CarsRegistered">Small cars registered in the city.</param>
/// <param name="OptedOut">Refused proactive contact.</param>
public sealed record SimResident(string IdNumber, string Name, DateOnly BirthDate, string HukouCity, string HukouDistrict, string Address, string Phone,
    bool Alive, bool CriminalRecord, int CarsRegistered, bool OptedOut)
{
    /// <summary>The record as the population service answers it on <paramref name="today"/>.</summary>
    public Resident On(DateOnly today) => new()
    {
        IdNumber = IdNumber, Name = Name, BirthDate = BirthDate, Age = IdentityNumber.Age(BirthDate, today),
        HukouCity = HukouCity, HukouDistrict = HukouDistrict, Address = Address, Phone = Phone, Alive = Alive, CriminalRecord = CriminalRecord,
        CarsRegistered = CarsRegistered, OptedOut = OptedOut
    };
}

/// <summary>An enterprise of the simulated city.</summary>
public sealed record SimEnterprise(string Name, string Uscc, string LegalRepresentative, string Address);

/// <summary>
/// The simulated city behind GovFlow's service simulators: people with valid ID numbers, enterprises with valid
/// credit codes, their electronic certificates (some expired or abolished), the population database's residents,
/// waybills, ratings and messages.
/// Generated with Bogus zh_CN from a fixed seed, so demos and tests see the same city.
/// </summary>
public sealed class SimulatedWorld
{
    /// <summary>The certificate types the simulated library issues (type code → name), as the designer offers them.</summary>
    public static readonly IReadOnlyDictionary<string, string> CertificateTypeNames = new Dictionary<string, string>
    {
        ["111"] = "居民身份证", ["112"] = "居民户口簿", ["113"] = "结婚证", ["114"] = "出生医学证明", ["115"] = "社会保障卡", ["116"] = "残疾人证",
        ["117"] = "最低生活保障证", ["118"] = "不动产权证书", ["119"] = "学历学位证书", ["120"] = "健康证明", ["124"] = "机动车驾驶证",
        ["127"] = "小汽车增量指标摇号编码确认书", ["201"] = "营业执照"
    };

    private readonly ConcurrentDictionary<string, Certificate> _certificates = new();
    private readonly Lock _lock = new();
    private int _serial;

    /// <summary>Generates the city.</summary>
    public SimulatedWorld(int people = 300, int enterprises = 80, int seed = 20261122)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(seed) };
        var today = new DateOnly(2026, 11, 22);
        for (var i = 0; i < people; i++)
        {
            // A third of the city is elderly, so allowance and senior-card matters have applicants.
            var birth = new DateOnly(i % 3 == 0 ? faker.Random.Int(1932, 1946) : faker.Random.Int(1960, 2008), faker.Random.Int(1, 12), faker.Random.Int(1, 28));
            var id = IdentityNumber.Complete("440305" + birth.ToString("yyyyMMdd") + faker.Random.Int(100, 999));
            var person = new SimPerson(faker.Name.LastName() + faker.Name.FirstName(), id, "1" + faker.PickRandom("39", "38", "37", "59", "86") + faker.Random.ReplaceNumbers("########"),
                "广东省深圳市南山区" + faker.PickRandom("粤海街道", "南头街道", "沙河街道", "蛇口街道", "招商街道", "西丽街道") + faker.Address.StreetName() + faker.Random.Int(1, 388) + "号", birth);
            People.Add(person);
            Issue(person.IdNumber, "111", person.Name, "深圳市公安局", birth.AddYears(16), today.AddYears(faker.Random.Int(-1, 15)), Data(person));
            Issue(person.IdNumber, "112", person.Name, "深圳市公安局南山分局", birth, null, Data(person));
            if (faker.Random.Bool(0.5f)) Issue(person.IdNumber, "113", person.Name, "深圳市南山区民政局", today.AddYears(-faker.Random.Int(1, 30)), null, Data(person));
            if (faker.Random.Bool(0.6f)) Issue(person.IdNumber, "115", person.Name, "深圳市医疗保障局", today.AddYears(-5), today.AddYears(5), Data(person));
            if (faker.Random.Bool(0.1f)) Issue(person.IdNumber, "116", person.Name, "深圳市南山区残疾人联合会", today.AddYears(-3), today.AddYears(faker.Random.Int(-2, 7)), Data(person));
            if (faker.Random.Bool(0.4f)) Issue(person.IdNumber, "118", person.Name, "深圳市不动产登记中心", today.AddYears(-faker.Random.Int(1, 20)), null, Data(person));
            if (faker.Random.Bool(0.3f)) Issue(person.IdNumber, "119", person.Name, faker.PickRandom("深圳大学", "南方科技大学", "中山大学", "华南理工大学"), today.AddYears(-faker.Random.Int(1, 20)), null, Data(person));
            if (faker.Random.Bool(0.3f)) Issue(person.IdNumber, "124", person.Name, "深圳市公安局交通警察局", today.AddYears(-6), today.AddYears(faker.Random.Int(-1, 6)), Data(person));
            if (faker.Random.Bool(0.05f)) Issue(person.IdNumber, "112", person.Name, "深圳市公安局南山分局", birth, null, Data(person), status: "abolished");
        }
        for (var i = 0; i < enterprises; i++)
        {
            var uscc = CreditCode.Complete("91440300" + faker.Random.String2(9, "0123456789ABCDEFGHJKLMNPQRTUWXY"));
            var company = new SimEnterprise(CompanyName(faker), uscc, faker.Name.LastName() + faker.Name.FirstName(), "广东省深圳市南山区" + faker.Address.StreetName() + faker.Random.Int(1, 999) + "号");
            Enterprises.Add(company);
            Issue(uscc, "201", company.Name, "深圳市市场监督管理局", today.AddYears(-faker.Random.Int(0, 15)), null,
                new() { ["name"] = company.Name, ["legalRepresentative"] = company.LegalRepresentative, ["address"] = company.Address }, holderType: "001");
        }
        AddPopulation(new Faker("zh_CN") { Random = new Randomizer(seed + 1) }, today);
    }

    /// <summary>The number of seniors born in 1956, five days apart, so in any 30-day window of a year some turn 70 (深圳's 高龄津贴 starts at 70).</summary>
    public const int Seniors1956 = 73;

    // A second generator, so the people, certificates and enterprises above stay what they were before the population existed.
    private void AddPopulation(Faker faker, DateOnly today)
    {
        foreach (var p in People)
            Residents[p.IdNumber] = new SimResident(p.IdNumber, p.Name, p.BirthDate, "深圳市", "440305", p.Address, p.Phone, Alive: true,
                CriminalRecord: faker.Random.Bool(0.05f), CarsRegistered: faker.Random.Bool(0.7f) ? 0 : faker.Random.Int(1, 2), OptedOut: false);
        // 小汽车增量指标: some adults hold a lottery code, a few of them expired.
        foreach (var p in People.Where(p => p.BirthDate.Year is > 1960 and < 2006))
            if (faker.Random.Bool(0.3f))
                Issue(p.IdNumber, "127", p.Name, "深圳市小汽车增量调控管理办公室", today.AddYears(-1), today.AddMonths(faker.Random.Int(-6, 18)),
                    new() { ["name"] = p.Name, ["idNumber"] = p.IdNumber, ["code"] = faker.Random.ReplaceNumbers("##############") });
        for (var i = 0; i < Seniors1956; i++)
        {
            var birth = new DateOnly(1956, 1, 3).AddDays(5 * i);
            var id = IdentityNumber.Complete("440305" + birth.ToString("yyyyMMdd") + faker.Random.Int(100, 999));
            var person = new SimPerson(faker.Name.LastName() + faker.Name.FirstName(), id, "13" + faker.Random.Int(5, 9) + faker.Random.ReplaceNumbers("########"),
                "广东省深圳市南山区" + faker.PickRandom("粤海街道", "南头街道", "沙河街道", "蛇口街道") + faker.Address.StreetName() + faker.Random.Int(1, 388) + "号", birth);
            Issue(person.IdNumber, "111", person.Name, "深圳市公安局", birth.AddYears(16), null, Data(person));
            Issue(person.IdNumber, "112", person.Name, "深圳市公安局南山分局", birth, null, Data(person));
            // Every fourth has refused proactive contact, every seventh has died, every ninth has a hukou outside Shenzhen.
            Residents[id] = new SimResident(id, person.Name, birth, i % 9 == 8 ? "广州市" : "深圳市", i % 9 == 8 ? "440106" : "440305", person.Address, person.Phone,
                Alive: i % 7 != 6, CriminalRecord: false, CarsRegistered: 0, OptedOut: i % 4 == 3);
        }
    }

    /// <summary>The population database's residents by ID number: every person above, and the 1956 seniors.</summary>
    public ConcurrentDictionary<string, SimResident> Residents { get; } = new(StringComparer.Ordinal);

    /// <summary>Every population lookup, as the database's use log.</summary>
    public ConcurrentQueue<ResidentQuery> PopulationUses { get; } = new();

    /// <summary>People.</summary>
    public List<SimPerson> People { get; } = [];

    /// <summary>Enterprises.</summary>
    public List<SimEnterprise> Enterprises { get; } = [];

    /// <summary>Waybills by number.</summary>
    public ConcurrentDictionary<string, Waybill> Waybills { get; } = new();

    /// <summary>Every certificate lookup, as the library's use log.</summary>
    public ConcurrentQueue<CertificateQuery> Uses { get; } = new();

    /// <summary>Ratings reported.</summary>
    public ConcurrentQueue<(string CaseNumber, int Level, string? Comment, bool Rectified)> Ratings { get; } = new();

    /// <summary>Messages sent.</summary>
    public ConcurrentQueue<(string Phone, string Message, DateTimeOffset At)> Messages { get; } = new();

    /// <summary>Outage switches per service (certificates, mail, ratings, notify): down, or a delay.</summary>
    public ConcurrentDictionary<string, (bool Down, int DelayMs)> Outages { get; } = new();

    /// <summary>Answers already given, by service and idempotency key: a repeated call gets the same answer and changes nothing.</summary>
    public ConcurrentDictionary<string, Lazy<IResult>> Answered { get; } = new();

    /// <summary>How many answers are remembered at most; past it they are forgotten together (a repeat that late is rare).</summary>
    public const int MaxAnswers = 50_000;

    /// <summary>Certificates of a holder and type.</summary>
    public IReadOnlyList<Certificate> Find(string holderCode, string type) =>
        _certificates.Values.Where(c => c.HolderCode == holderCode && c.TypeCode == type).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    /// <summary>All certificates of a holder.</summary>
    public IReadOnlyList<Certificate> Of(string holderCode) => _certificates.Values.Where(c => c.HolderCode == holderCode).OrderBy(c => c.TypeCode, StringComparer.Ordinal).ToList();

    /// <summary>Issues a certificate.</summary>
    public Certificate Issue(string holder, string type, string holderName, string issuer, DateOnly from, DateOnly? to, Dictionary<string, string> data, string holderType = "111", string status = "issued", string? typeName = null)
    {
        int serial;
        lock (_lock) serial = ++_serial;
        var c = new Certificate
        {
            Id = $"{type}-{serial:D8}", TypeCode = type, TypeName = typeName ?? CertificateTypeNames.GetValueOrDefault(type, "电子证照"), Number = $"{type}{serial:D10}",
            Issuer = issuer, IssuedOn = from, ValidFrom = from, ValidTo = to, Jurisdiction = "440305", HolderName = holderName, HolderCode = holder, HolderType = holderType,
            Status = status, TrustLevel = "A", FileUrl = $"/sim/certificates/files/{type}-{serial:D8}.pdf", Data = data
        };
        _certificates[c.Id] = c;
        return c;
    }

    /// <summary>Creates a waybill number.</summary>
    public string NextWaybillNumber()
    {
        int serial;
        lock (_lock) serial = ++_serial;
        return $"EMS{9800000000L + serial}";
    }

    private static Dictionary<string, string> Data(SimPerson p) => new()
    {
        ["name"] = p.Name, ["idNumber"] = p.IdNumber, ["birthDate"] = p.BirthDate.ToString("yyyy-MM-dd"), ["address"] = p.Address,
        ["age"] = (new DateOnly(2026, 11, 22).Year - p.BirthDate.Year).ToString(System.Globalization.CultureInfo.InvariantCulture)
    };

    // Bogus's zh_CN company names read "侯, 龙 and 胡"; a Shenzhen registration reads 深圳市 + trade name + trade + 有限公司.
    private static string CompanyName(Faker faker) =>
        "深圳市" + faker.PickRandom("华信", "鹏程", "海岸", "南科", "前海", "粤港", "蛇口", "科兴", "创智", "恒泰", "万通", "嘉禾") +
        faker.PickRandom("餐饮管理", "文化传播", "科技", "贸易", "物业管理", "教育咨询", "医药", "娱乐") + "有限公司";
}
