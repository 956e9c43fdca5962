"""Supervision data: providers' monthly service reports, residents' complaints and inspections."""
from datetime import timedelta

from accountability.models import Complaint, ComplaintStatus, Duty, Inspection, InspectionResult
from coproduction.models import ParticipationRole, ReportEvent, ReportEventKind, ReportStatus, ServiceReport, Stage

from .context import Seeding, add_months, money, month_end, months_between
from .people import org_user
from .territory import extra_community_keys

REPORT_MONTHS_KEPT = 12
# How long a routed complaint may wait for an answer.
# TODO: read it from accountability once that app exposes its complaint deadline.
COMPLAINT_RESPONSE_HOURS = 72

# Reports that an official sent back, and why: (project key, months before the latest).
RETURNED_REPORTS = {
    ("huayuan_housekeeping", 1): "收费明细与公示价格不一致，请补充发票和回访记录后重新提交。",
    ("fushengli_repair", 0): "维修单数与报修台账不符，请核对后重新提交。",
}
# A report the provider has not sent: the periodic jobs will find it missing.
MISSING_LATEST_REPORT = {"huayuan_sanitation"}


def reporter_key(s: Seeding, project_key: str) -> str:
    """Who reports on a project: its provider, or its lead when the lead delivers the service itself."""
    parts = s.plans[project_key].parts
    return next((p.org for p in parts if p.role == ParticipationRole.PROVIDER), None) or next(
        p.org for p in parts if p.role == ParticipationRole.LEAD
    )


def reviewer_for(s: Seeding, project_key: str):
    return s.officials.get(s.plans[project_key].community, s.users["zhongbei_official"])


def seed_reports(s: Seeding) -> None:
    events: list[tuple[ReportEvent, object]] = []
    for key, project in s.projects.items():
        plan = s.plans[key]
        if plan.economics is None or project.stage == Stage.DESIGN:
            continue
        org_key = reporter_key(s, key)
        organisation, user, reviewer = s.organisations[org_key], org_user(s, org_key), reviewer_for(s, key)
        last_month = min(project.end_date, month_end(add_months(s.today, -1)))
        months = months_between(project.start_date, last_month)[-REPORT_MONTHS_KEPT:]
        if key in MISSING_LATEST_REPORT and project.stage == Stage.OPERATION:
            months = months[:-1]
        existing = set(ServiceReport.objects.filter(project=project, organisation=organisation)
                       .values_list("period_start", flat=True))
        rng = s.rng("reports", key)
        economics, unit = plan.economics, project.service_item.unit_label
        for age, month in zip(range(len(months) - 1, -1, -1), months):
            period_start, period_end = max(month, project.start_date), min(month_end(month), project.end_date)
            share = ((period_end - period_start).days + 1) / ((month_end(month) - month).days + 1)
            cost = money(economics.monthly_cost * share * rng.uniform(0.92, 1.08))
            income = money(float(cost) * economics.income_share * rng.uniform(0.95, 1.05))
            subsidy = money(float(cost) * economics.subsidy_share * rng.uniform(0.97, 1.03))
            people = max(1, round(economics.people * rng.uniform(0.9, 1.1)))
            units = max(1, round(economics.units * share * rng.uniform(0.88, 1.1)))
            submitted_at = s.at(period_end + timedelta(days=rng.randint(2, 6)), 10, rng.randint(0, 59))
            review_days = rng.randint(2, 8)
            if period_start in existing:
                continue
            status, comment = ReportStatus.ACCEPTED, ""
            if project.stage == Stage.OPERATION and (key, age) in RETURNED_REPORTS:
                status, comment = ReportStatus.RETURNED, RETURNED_REPORTS[(key, age)]
            elif project.stage == Stage.OPERATION and age == 0:
                status = ReportStatus.SUBMITTED
            reviewed = status != ReportStatus.SUBMITTED
            report = ServiceReport.objects.create(
                project=project, organisation=organisation, period_start=period_start, period_end=period_end,
                people_served=people, service_units=units, cost=cost, income=income, subsidy=subsidy,
                narrative=narrative(month, people, units, unit, cost, income, subsidy), status=status,
                submitted_by=user, submitted_at=submitted_at,
                reviewed_by=reviewer if reviewed else None,
                reviewed_at=max(submitted_at, min(submitted_at + timedelta(days=review_days), s.at(s.today, 9)))
                if reviewed else None,
                review_comment=comment or ("已审核，数据与台账一致。" if reviewed else ""),
            )
            events += report_history(report)
    # The history the report services keep, as if each report had gone through them.
    ReportEvent.objects.bulk_create([event for event, _at in events])
    for event, at in events:
        event.at = at
    ReportEvent.objects.bulk_update([event for event, _at in events], ["at"], batch_size=500)


def report_history(report: ServiceReport) -> list[tuple[ReportEvent, object]]:
    figures = {
        "period_start": report.period_start.isoformat(), "period_end": report.period_end.isoformat(),
        "people_served": report.people_served, "service_units": report.service_units,
        **{name: f"{getattr(report, name):.2f}" for name in ("cost", "income", "subsidy")},
        "narrative": report.narrative, "attachments": [],
    }
    history = [(ReportEvent(report=report, kind=ReportEventKind.SUBMITTED, revision=report.revision,
                            by=report.submitted_by, figures=figures), report.submitted_at)]
    if report.status != ReportStatus.SUBMITTED:
        kind = ReportEventKind.ACCEPTED if report.status == ReportStatus.ACCEPTED else ReportEventKind.RETURNED
        history.append((ReportEvent(report=report, kind=kind, revision=report.revision, by=report.reviewed_by,
                                    comment=report.review_comment, figures=figures), report.reviewed_at))
    return history


def narrative(month, people, units, unit, cost, income, subsidy) -> str:
    text = f"{month:%Y年%m月}共服务{people}人，完成{units}{unit}。收入{income}元，补贴{subsidy}元，成本{cost}元"
    balance = income + subsidy - cost
    if balance < 0:
        return text + f"，亏损{-balance}元。食材和人工成本上涨，现行补贴标准不足以覆盖成本，请求调整补贴。"
    return text + "，收支基本平衡。服务按标准完成，无安全事故。"


# (project key, resident index, subject, body, routed to, duty title, filed days ago, status, response)
COMPLAINTS = (
    ("houtai_dining", 0, "饭菜偏咸，老人吃不惯", "最近一个月菜都很咸，高血压老人不敢吃。", "jinweifang", None, 40,
     ComplaintStatus.CONFIRMED, "已调整为低盐菜谱，每周请老年协会代表试吃。"),
    ("houtai_dining", 14, "送餐迟到一个多小时", "昨天午餐一点多才送到，饭菜都凉了。", "jinweifang", None, 5,
     ComplaintStatus.OPEN, ""),
    ("houtai_dining", 27, "食堂周末不开门", "周末子女不在家，老人吃饭没着落。", "jinweifang", None, 12,
     ComplaintStatus.ANSWERED, "周末人手不足，下月起周六开放午餐。"),
    ("houtai_green", 40, "12号地块杂草丛生无人养护", "这块地认领了但好久没人管，杂草一人高。", "houtai_rc",
     "地块认领月度巡查", 1, ComplaintStatus.OPEN, ""),
    ("houtai_visits", 52, "探访志愿者上门前未电话预约", "老人独自在家，陌生人敲门很害怕。", "qiming", None, 70,
     ComplaintStatus.CONFIRMED, "已规定探访前一天电话预约，志愿者佩戴工作证。"),
    ("huayuan_sanitation", 3, "3号楼垃圾桶满溢两天无人清运", "垃圾堆到楼道口，气味很大。", "jiecheng", "垃圾分类月度检查",
     4, ComplaintStatus.OPEN, ""),
    ("huayuan_sanitation", 9, "楼道保洁不及时", "楼道一周没人扫。", "jiecheng", None, 20,
     ComplaintStatus.ANSWERED, "已增加楼道保洁频次至每周三次。"),
    ("huayuan_housekeeping", 12, "保洁人员迟到且收费与公示价格不符", "约好9点，10点才到，还多收了30元。", "haobangshou", None,
     25, ComplaintStatus.REOPENED, "已退还多收费用30元，对保洁员进行了批评教育。"),
    ("huayuan_health", 20, "体检报告迟迟未收到", "体检一个多月了还没拿到报告。", "zhongbei_health", "体检报告15日内送达",
     30, ComplaintStatus.ANSWERED, "报告已补送，并开通短信通知。"),
    ("fushengli_repair", 7, "报修一周未上门", "卫生间漏水报修一周了还没人来。", "jiangxin", None, 8,
     ComplaintStatus.OPEN, ""),
    ("fushengli_repair", 16, "维修后两周又漏水", "上次修完两周又开始漏。", "jiangxin", None, 35,
     ComplaintStatus.CONFIRMED, "已免费返修，质保期延长至一年。"),
)


def extra_complaints(s: Seeding) -> list[tuple]:
    complaints = []
    for batch, key in enumerate(extra_community_keys(s.scale), start=2):
        provider = f"extra_ent_{batch}_3"
        complaints += [
            (f"{key}_sanitation", 2, "垃圾分类投放点无人值守", "晚上投放点没人，垃圾混投。", provider, None, 6,
             ComplaintStatus.OPEN, ""),
            (f"{key}_sanitation", 6, "清扫车噪音扰民", "早上五点扫地车太吵。", provider, None, 18,
             ComplaintStatus.ANSWERED, "作业时间已调整到六点半以后。"),
        ]
    return complaints


def seed_complaints(s: Seeding) -> None:
    for project_key, index, subject, body, org_key, duty_title, days_ago, status, response in (
        *COMPLAINTS, *extra_complaints(s)
    ):
        project = s.projects[project_key]
        resident = s.residents[s.plans[project_key].community][index]
        if Complaint.objects.filter(project=project, resident=resident, subject=subject).exists():
            continue
        rng = s.rng("complaint", project_key, subject)
        filed_at = s.at(s.days_ago(days_ago), rng.randint(8, 21), rng.randint(0, 59))
        answered = status != ComplaintStatus.OPEN
        responded_at = filed_at + timedelta(hours=rng.randint(6, 60)) if answered else None
        Complaint.objects.create(
            project=project, resident=resident, routed_to=s.organisations[org_key], subject=subject, body=body,
            duty=Duty.objects.filter(project=project, title=duty_title).first() if duty_title else None,
            filed_at=filed_at, response_due_at=filed_at + timedelta(hours=COMPLAINT_RESPONSE_HOURS),
            response=response, responded_at=responded_at, responded_by=org_user(s, org_key) if answered else None,
            status=status,
            closed_at=responded_at + timedelta(days=2) if status == ComplaintStatus.CONFIRMED else None,
        )


CHECKLISTS = {
    "elderly-dining": ("厨房卫生整洁", "食品留样48小时", "从业人员健康证", "燃气和消防安全", "菜谱公示", "价格和补贴公示"),
    "sanitation": ("道路清扫", "楼道保洁", "垃圾分类投放点", "清运及时", "作业安全"),
    "green-space": ("认领地块无杂草", "无私自种菜或圈占", "地块标识牌完好", "病虫害防治"),
    "health-checks": ("体检流程规范", "报告按时送达", "医疗废物处置", "资质公示"),
    "housekeeping": ("持证上岗", "价格公示", "服务回访记录"),
    "property-repair": ("24小时内上门", "价格公示", "质保承诺"),
}
GENERAL_CHECKLIST = ("服务记录完整", "人员资质", "安全预案", "居民知晓率")

# (project key, inspected organisation, days ago, failed checklist items, result, notes); notes are unique
# per project so that they identify an inspection across runs on different days.
INSPECTIONS = (
    ("houtai_dining", "jinweifang", 95, (), InspectionResult.PASSED, "季度例行检查，各项符合要求。"),
    ("houtai_dining", "jinweifang", 20, ("厨房卫生整洁", "食品留样48小时"), InspectionResult.FAILED,
     "留样记录缺三天，排烟罩油污严重，责令7日内整改并复查。"),
    ("houtai_green", "houtai_green", 45, (), InspectionResult.PASSED, "地块整体养护良好。"),
    ("houtai_green", "houtai_green", 10, ("无私自种菜或圈占",), InspectionResult.MINOR_ISSUES,
     "个别地块种了葱蒜，已提醒认领人恢复。"),
    ("houtai_visits", "qiming", 100, (), InspectionResult.PASSED, "探访记录完整，抽查回访老人满意。"),
    ("huayuan_health", "kangtai", 60, (), InspectionResult.PASSED, "体检流程规范。"),
    ("huayuan_sanitation", "jiecheng", 30, ("清运及时",), InspectionResult.MINOR_ISSUES, "个别楼栋清运不及时。"),
    ("huayuan_housekeeping", "haobangshou", 15, ("价格公示",), InspectionResult.MINOR_ISSUES, "服务站价格公示未更新。"),
    ("fushengli_disability", "yangguang", 80, (), InspectionResult.PASSED, "康复训练记录完整。"),
    ("fushengli_legal", "gongyi_law", 300, (), InspectionResult.PASSED, "律师坐班签到齐全。"),
    ("fushengli_repair", "jiangxin", 12, ("24小时内上门", "价格公示"), InspectionResult.FAILED,
     "抽查10单有4单超过48小时上门，材料费未按公示价目收取。"),
    ("houtai_afterschool", "chengzhang", 250, (), InspectionResult.PASSED, "接送登记和安全看护到位。"),
)


def seed_inspections(s: Seeding) -> None:
    inspections = list(INSPECTIONS) + [
        (f"{key}_sanitation", f"extra_ent_{batch}_3", 25, (), InspectionResult.PASSED, "例行检查，符合要求。")
        for batch, key in enumerate(extra_community_keys(s.scale), start=2)
    ]
    for project_key, org_key, days_ago, failed, result, notes in inspections:
        project = s.projects[project_key]
        items = CHECKLISTS.get(s.plans[project_key].item, GENERAL_CHECKLIST)
        checklist = [
            {"item": item, "passed": item not in failed, "note": "不合格，限期整改" if item in failed else ""}
            for item in items
        ]
        Inspection.objects.get_or_create(
            project=project, organisation=s.organisations[org_key], notes=notes,
            defaults={"inspector": reviewer_for(s, project_key), "inspected_on": s.days_ago(days_ago),
                      "checklist": checklist, "result": result},
        )
