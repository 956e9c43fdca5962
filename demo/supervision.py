"""Supervision through the services that own it: providers' service reports, residents' complaints, inspections.

What the services decide is kept: the risk a run of loss-making reports raises, the routing of
a complaint and its deadline (settings.COMPLAINT_RESPONSE_HOURS), the result of an inspection
read from its checklist and the breach a failed one opens.
"""

from datetime import timedelta

from accountability.models import Breach, Complaint, ComplaintStatus, Duty, Inspection, Risk
from accountability.services.complaints import (
    complaint_answer,
    complaint_confirm,
    complaint_file,
    complaint_reopen,
    response_deadline,
)
from accountability.services.inspections import inspection_record
from coproduction.models import ParticipationRole, ReportEvent, ServiceReport, Stage
from coproduction.services.reports import report_resubmit, report_review, report_submit
from demo.clock import backdate, backdate_fresh
from demo.context import Seeding, add_months, money, month_end, months_between
from demo.people import org_user
from demo.territory import extra_community_keys

REPORT_MONTHS_KEPT = 12
REPORTING_STAGES = (Stage.OPERATION, Stage.EVALUATION)

# Reports that an official sent back: (project key, months before the latest) -> (why, and, if the
# provider has corrected it since, what the corrected narrative adds).
RETURNED_REPORTS = {
    ("huayuan_housekeeping", 1): ("收费明细与公示价格不一致，请补充发票和回访记录后重新提交。", None),
    ("fushengli_repair", 0): ("维修单数与报修台账不符，请核对后重新提交。", None),
    ("huayuan_health", 3): ("缺少体检报告送达签收记录，请补充后重新提交。", "已补充体检报告送达签收记录。"),
}
# A report the provider has not sent: the periodic jobs will find it missing.
MISSING_LATEST_REPORT = {"huayuan_sanitation"}
ACCEPTED_COMMENT = "已审核，数据与台账一致。"


def reporter_key(s: Seeding, project_key: str) -> str:
    """Who reports on a project: its provider, or its lead when the lead delivers the service itself."""
    parts = s.plans[project_key].parts
    return next((p.org for p in parts if p.role == ParticipationRole.PROVIDER), None) or next(
        p.org for p in parts if p.role == ParticipationRole.LEAD
    )


def reviewer_for(s: Seeding, project_key: str):
    return s.officials.get(s.plans[project_key].community, s.users["zhongbei_official"])


def seed_reports(s: Seeding) -> None:
    for key, project in s.projects.items():
        plan = s.plans[key]
        if plan.economics is None or project.stage not in REPORTING_STAGES:
            continue
        org_key = reporter_key(s, key)
        organisation = s.organisations[org_key]
        last_month = min(project.end_date, month_end(add_months(s.today, -1)))
        months = months_between(project.start_date, last_month)
        if plan.stage == Stage.OPERATION:
            months = months[-REPORT_MONTHS_KEPT:]  # a finished project keeps every report, for its evaluations
        if key in MISSING_LATEST_REPORT and plan.stage == Stage.OPERATION:
            months = months[:-1]
        existing = set(
            ServiceReport.objects.filter(project=project, organisation=organisation).values_list(
                "period_start", flat=True
            )
        )
        rng = s.rng("reports", key)
        economics, unit = plan.economics, project.service_item.unit_label
        for age, month in zip(range(len(months) - 1, -1, -1), months, strict=True):
            period_start, period_end = max(month, project.start_date), min(month_end(month), project.end_date)
            share = ((period_end - period_start).days + 1) / ((month_end(month) - month).days + 1)
            cost = money(economics.monthly_cost * share * rng.uniform(0.92, 1.08))
            income = money(float(cost) * economics.income_share * rng.uniform(0.95, 1.05))
            subsidy = money(float(cost) * economics.subsidy_share * rng.uniform(0.97, 1.03))
            if economics.income_share + economics.subsidy_share >= 1 and income + subsidy < cost:
                # A service the funders pay in full is topped up to its cost: only the dining hall,
                # whose subsidy was set below its cost, runs at a loss.
                subsidy = cost - income
            people = max(1, round(economics.people * rng.uniform(0.9, 1.1)))
            units = max(1, round(economics.units * share * rng.uniform(0.88, 1.1)))
            submitted_at = s.at(min(period_end + timedelta(days=rng.randint(2, 6)), s.today), 10, rng.randint(0, 59))
            review_days = rng.randint(2, 8)
            if period_start in existing:
                continue
            report = report_submit(
                project=project,
                organisation=organisation,
                user=org_user(s, org_key),
                period_start=period_start,
                period_end=period_end,
                people_served=people,
                service_units=units,
                cost=cost,
                income=income,
                subsidy=subsidy,
                narrative=narrative(month, people, units, unit, cost, income, subsidy),
            )
            stamp_report(s, report, submitted_at=submitted_at)
            # A report that extends a loss-making run raises or refreshes the risk: dated with the report.
            backdate_fresh(
                Risk.objects.filter(project=project), since=s.started, raised_at=submitted_at, updated_at=submitted_at
            )
            latest_running = plan.stage == Stage.OPERATION and age == 0
            if latest_running and (key, age) not in RETURNED_REPORTS:
                continue  # still waiting for the official
            reviewed_at = max(submitted_at, min(submitted_at + timedelta(days=review_days), s.at(s.today, 9)))
            review_report(s, key, report, age, reviewed_at)


def stamp_report(s: Seeding, report: ServiceReport, **moments) -> None:
    """Backdate the report and the history event its service has just written."""
    backdate(report, **moments)
    backdate_fresh(ReportEvent.objects.filter(report=report), since=s.started, at=next(iter(moments.values())))


def review_report(s: Seeding, key: str, report: ServiceReport, age: int, reviewed_at) -> None:
    """The community's official accepts the report, or returns it; a corrected one comes back and is accepted."""
    reviewer = reviewer_for(s, key)
    returned, correction = RETURNED_REPORTS.get((key, age), (None, None))
    if returned is None:
        report = report_review(report=report, user=reviewer, accept=True, comment=ACCEPTED_COMMENT)
        stamp_report(s, report, reviewed_at=reviewed_at)
        return
    report = report_review(report=report, user=reviewer, accept=False, comment=returned)
    stamp_report(s, report, reviewed_at=reviewed_at)
    if correction is None:
        return
    resubmitted_at = reviewed_at + timedelta(days=2)
    report = report_resubmit(report=report, user=report.submitted_by, narrative=f"{report.narrative}{correction}")
    stamp_report(s, report, submitted_at=resubmitted_at)
    report = report_review(report=report, user=reviewer, accept=True, comment=ACCEPTED_COMMENT)
    stamp_report(s, report, reviewed_at=resubmitted_at + timedelta(days=1))


def narrative(month, people, units, unit, cost, income, subsidy) -> str:
    text = f"{month:%Y年%m月}共服务{people}人，完成{units}{unit}。收入{income}元，补贴{subsidy}元，成本{cost}元"
    balance = income + subsidy - cost
    if balance < 0:
        return text + f"，亏损{-balance}元。食材和人工成本上涨，现行补贴标准不足以覆盖成本，请求调整补贴。"
    return text + "，收支基本平衡。服务按标准完成，无安全事故。"


# (project key, resident index, subject, body, duty title or None, filed days ago, status, response,
# reason for reopening). complaint_file routes a complaint about a duty to the duty's Accountable
# party and any other to the project's provider; one that reaches the residents' committee is
# answered by its officials (org_user gives the official for a government body).
OPEN, ANSWERED, CONFIRMED, REOPENED = (
    ComplaintStatus.OPEN,
    ComplaintStatus.ANSWERED,
    ComplaintStatus.CONFIRMED,
    ComplaintStatus.REOPENED,
)
COMPLAINTS = (
    (
        "houtai_dining",
        0,
        "饭菜偏咸，老人吃不惯",
        "最近一个月菜都很咸，高血压老人不敢吃。",
        "每周菜谱公示",
        40,
        CONFIRMED,
        "已调整为低盐菜谱，每周请老年协会代表试吃。",
        "",
    ),
    ("houtai_dining", 14, "送餐迟到一个多小时", "昨天午餐一点多才送到，饭菜都凉了。", None, 5, OPEN, "", ""),
    (
        "houtai_dining",
        27,
        "食堂周末不开门",
        "周末子女不在家，老人吃饭没着落。",
        None,
        12,
        ANSWERED,
        "已与运营方商定，下月起周六开放午餐。",
        "",
    ),
    (
        "houtai_green",
        40,
        "12号地块杂草丛生无人养护",
        "这块地认领了但好久没人管，杂草一人高。",
        "地块认领月度巡查",
        1,
        OPEN,
        "",
        "",
    ),
    (
        "houtai_visits",
        52,
        "探访志愿者上门前未电话预约",
        "老人独自在家，陌生人敲门很害怕。",
        None,
        70,
        CONFIRMED,
        "已规定探访前一天电话预约，志愿者佩戴工作证。",
        "",
    ),
    (
        "huayuan_sanitation",
        3,
        "3号楼垃圾桶满溢两天无人清运",
        "垃圾堆到楼道口，气味很大。",
        "垃圾分类月度检查",
        4,
        OPEN,
        "",
        "",
    ),
    (
        "huayuan_sanitation",
        9,
        "楼道保洁不及时",
        "楼道一周没人扫。",
        "保洁质量周巡查",
        20,
        ANSWERED,
        "已督促保洁公司增加楼道保洁频次至每周三次。",
        "",
    ),
    (
        "huayuan_housekeeping",
        12,
        "保洁人员迟到且收费与公示价格不符",
        "约好9点，10点才到，还多收了30元。",
        None,
        25,
        REOPENED,
        "已退还多收费用30元，对保洁员进行了批评教育。",
        "只退了钱，迟到的问题没有说怎么改。",
    ),
    (
        "huayuan_health",
        20,
        "体检报告迟迟未收到",
        "体检一个多月了还没拿到报告。",
        "体检报告15日内送达",
        30,
        ANSWERED,
        "报告已补送，并开通短信通知。",
        "",
    ),
    ("fushengli_repair", 7, "报修一周未上门", "卫生间漏水报修一周了还没人来。", None, 8, OPEN, "", ""),
    (
        "fushengli_repair",
        16,
        "维修后两周又漏水",
        "上次修完两周又开始漏。",
        None,
        35,
        CONFIRMED,
        "已协调维修商免费返修，质保期延长至一年。",
        "",
    ),
)


def extra_complaints(s: Seeding) -> list[tuple]:
    complaints = []
    for key in extra_community_keys(s.scale):
        complaints += [
            (f"{key}_sanitation", 2, "垃圾分类投放点无人值守", "晚上投放点没人，垃圾混投。", None, 6, OPEN, "", ""),
            (
                f"{key}_sanitation",
                6,
                "清扫车噪音扰民",
                "早上五点扫地车太吵。",
                None,
                18,
                ANSWERED,
                "作业时间已调整到六点半以后。",
                "",
            ),
        ]
    return complaints


def seed_complaints(s: Seeding) -> None:
    org_keys = {organisation.pk: key for key, organisation in s.organisations.items()}
    for project_key, index, subject, body, duty_title, days_ago, status, response, reopening in (
        *COMPLAINTS,
        *extra_complaints(s),
    ):
        project = s.projects[project_key]
        resident = s.residents[s.plans[project_key].community][index]
        if Complaint.objects.filter(project=project, resident=resident, subject=subject).exists():
            continue
        rng = s.rng("complaint", project_key, subject)
        filed_at = s.at(s.days_ago(days_ago), rng.randint(8, 21), rng.randint(0, 59))
        complaint = complaint_file(
            project=project,
            resident=resident,
            subject=subject,
            body=body,
            duty=Duty.objects.get(project=project, title=duty_title) if duty_title else None,
        )
        backdate(complaint, filed_at=filed_at, response_due_at=response_deadline(filed_at))
        if status == OPEN:
            continue
        responded_at = filed_at + timedelta(hours=rng.randint(6, 60))
        complaint = complaint_answer(
            complaint=complaint, user=org_user(s, org_keys[complaint.routed_to_id]), response=response
        )
        backdate(complaint, responded_at=responded_at)
        if status == CONFIRMED:
            complaint = complaint_confirm(complaint=complaint, resident=resident)
            backdate(complaint, closed_at=responded_at + timedelta(days=2))
        elif status == REOPENED:
            reopened_at = responded_at + timedelta(days=1)
            complaint = complaint_reopen(complaint=complaint, resident=resident, reason=reopening)
            backdate(complaint, response_due_at=response_deadline(reopened_at))


CHECKLISTS = {
    "elderly-dining": (
        "厨房卫生整洁",
        "食品留样48小时",
        "从业人员健康证",
        "燃气和消防安全",
        "菜谱公示",
        "价格和补贴公示",
    ),
    "sanitation": ("道路清扫", "楼道保洁", "垃圾分类投放点", "清运及时", "作业安全"),
    "green-space": ("认领地块无杂草", "无私自种菜或圈占", "地块标识牌完好", "病虫害防治", "浇水及时"),
    "health-checks": ("体检流程规范", "报告按时送达", "医疗废物处置", "资质公示"),
    "housekeeping": ("持证上岗", "价格公示", "服务回访记录", "服务合同规范", "投诉处理台账"),
    "property-repair": ("24小时内上门", "价格公示", "质保承诺"),
}
GENERAL_CHECKLIST = ("服务记录完整", "人员资质", "安全预案", "居民知晓率")

# (project key, inspected organisation, days ago, failed checklist items, notes); notes are unique per
# project so that they identify an inspection across runs on different days. inspection_record reads
# the result from the checklist: more than a fifth of the items failed is a failed inspection.
INSPECTIONS = (
    ("houtai_dining", "jinweifang", 95, (), "季度例行检查，各项符合要求。"),
    # Five days ago, so that the re-inspection it orders within seven days is not yet due.
    (
        "houtai_dining",
        "jinweifang",
        5,
        ("厨房卫生整洁", "食品留样48小时"),
        "留样记录缺三天，排烟罩油污严重，责令7日内整改并复查。",
    ),
    ("houtai_green", "houtai_green", 45, (), "地块整体养护良好。"),
    ("houtai_green", "houtai_green", 10, ("无私自种菜或圈占",), "个别地块种了葱蒜，已提醒认领人恢复。"),
    ("houtai_visits", "qiming", 100, (), "探访记录完整，抽查回访老人满意。"),
    ("huayuan_health", "kangtai", 60, (), "体检流程规范。"),
    ("huayuan_sanitation", "jiecheng", 30, ("清运及时",), "个别楼栋清运不及时。"),
    ("huayuan_housekeeping", "haobangshou", 15, ("价格公示",), "服务站价格公示未更新。"),
    ("fushengli_disability", "yangguang", 80, (), "康复训练记录完整。"),
    ("fushengli_legal", "gongyi_law", 300, (), "律师坐班签到齐全。"),
    (
        "fushengli_repair",
        "jiangxin",
        12,
        ("24小时内上门", "价格公示"),
        "抽查10单有4单超过48小时上门，材料费未按公示价目收取。",
    ),
    ("houtai_afterschool", "chengzhang", 250, (), "接送登记和安全看护到位。"),
)


def seed_inspections(s: Seeding) -> None:
    inspections = list(INSPECTIONS) + [
        (f"{key}_sanitation", f"extra_ent_{batch}_3", 25, (), "例行检查，符合要求。")
        for batch, key in enumerate(extra_community_keys(s.scale), start=2)
    ]
    for project_key, org_key, days_ago, failed, notes in inspections:
        project, organisation = s.projects[project_key], s.organisations[org_key]
        if Inspection.objects.filter(project=project, organisation=organisation, notes=notes).exists():
            continue
        items = CHECKLISTS.get(s.plans[project_key].item, GENERAL_CHECKLIST)
        checklist = [
            {"item": item, "passed": item not in failed, "note": "不合格，限期整改" if item in failed else ""}
            for item in items
        ]
        inspection = inspection_record(
            project=project,
            organisation=organisation,
            user=reviewer_for(s, project_key),
            inspected_on=s.days_ago(days_ago),
            checklist=checklist,
            notes=notes,
        )
        # A failed inspection opens its breach at once: on the day of the inspection.
        opened = s.at(inspection.inspected_on, 17)
        backdate_fresh(
            Breach.objects.filter(inspection=inspection), since=s.started, detected_at=opened, updated_at=opened
        )
