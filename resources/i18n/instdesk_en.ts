<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
  <context>
    <name>InstDesk</name>
    <message>
      <source>未加密（关闭 InstDesk 后运行 instdesk encrypt 加密）</source>
      <translation>Not encrypted (close InstDesk and run instdesk encrypt)</translation>
    </message>
    <message>
      <source>已加密（密钥保存在系统密钥环中）</source>
      <translation>Encrypted (the key is kept in the system keyring)</translation>
    </message>
    <message>
      <source>未加密：没有可用的系统密钥环</source>
      <translation>Not encrypted: no usable system keyring</translation>
    </message>
    <message>
      <source>备份</source>
      <translation>Backups</translation>
    </message>
    <message>
      <source>立即备份</source>
      <translation>Back up now</translation>
    </message>
    <message>
      <source>更改文件夹…</source>
      <translation>Change folder…</translation>
    </message>
    <message>
      <source>从备份恢复…</source>
      <translation>Restore from backup…</translation>
    </message>
    <message>
      <source>备份文件夹</source>
      <translation>Backup folder</translation>
    </message>
    <message>
      <source>上次备份</source>
      <translation>Last backup</translation>
    </message>
    <message>
      <source>数据库</source>
      <translation>Database</translation>
    </message>
    <message>
      <source>正在备份…</source>
      <translation>Backing up…</translation>
    </message>
    <message>
      <source>已备份并校验：{file}</source>
      <translation>Backed up and verified: {file}</translation>
    </message>
    <message>
      <source>选择备份文件夹</source>
      <translation>Choose the backup folder</translation>
    </message>
    <message>
      <source>选择备份文件</source>
      <translation>Choose a backup file</translation>
    </message>
    <message>
      <source>InstDesk 备份 (*.sqlite3);;所有文件 (*)</source>
      <translation>InstDesk backups (*.sqlite3);;All files (*)</translation>
    </message>
    <message>
      <source>从备份恢复</source>
      <translation>Restore from backup</translation>
    </message>
    <message>
      <source>用 {file} 替换当前数据？当前数据库会改名保留，不会删除。恢复后 InstDesk 将关闭，请重新打开；同步会重新发送平台尚未确认的变更。</source>
      <translation>Replace the current data with {file}? The current database is renamed and kept, never deleted. InstDesk closes after the restore; open it again. Sync re-sends the changes the platform has not acknowledged.</translation>
    </message>
    <message>
      <source>正在检查备份…</source>
      <translation>Checking the backup…</translation>
    </message>
    <message>
      <source>已从备份恢复。原数据库已保留为 {aside}。InstDesk 将关闭，请重新打开。</source>
      <translation>Restored from the backup. The previous database was kept as {aside}. InstDesk will close; open it again.</translation>
    </message>
    <message>
      <source>数据库已关闭，InstDesk 将关闭，请重新打开。</source>
      <translation>The database was closed; InstDesk will close. Open it again.</translation>
    </message>
    <message>
      <source>每天自动备份一次，保留最近 7 天和之前 4 周的备份。</source>
      <translation>Backed up automatically once a day; the last 7 days and 4 weeks before them are kept.</translation>
    </message>
    <message>
      <source>尚无备份</source>
      <translation>No backup yet</translation>
    </message>
    <message>
      <source>{when}（共 {count} 份）</source>
      <translation>{when} ({count} in total)</translation>
    </message>
    <message>
      <source>正在恢复…</source>
      <translation>Restoring…</translation>
    </message>
    <message>
      <source>转班</source>
      <translation>Transfer</translation>
    </message>
    <message>
      <source>停课</source>
      <translation>Pause</translation>
    </message>
    <message>
      <source>复课</source>
      <translation>Resume</translation>
    </message>
    <message>
      <source>已停课 {days} 天，复课后合同有效期顺延至 {end}。</source>
      <translation>Paused for {days} days; on resuming the contract runs until {end}.</translation>
    </message>
    <message>
      <source>{action}：{contract}</source>
      <translation>{action}: {contract}</translation>
    </message>
    <message>
      <source>如：生病、外出（选填）</source>
      <translation>e.g. illness, travel (optional)</translation>
    </message>
    <message>
      <source>合同</source>
      <translation>Contracts</translation>
    </message>
    <message>
      <source>转到同一课程的另一个班级：剩余课时和金额不变，从今天起在新班级点名。</source>
      <translation>Move to another class of the same course: the lessons and money left stay the same; roll call in the new class from today.</translation>
    </message>
    <message>
      <source>停课后学员离开班级，不再点名扣课时，剩余课时保留；复课时合同有效期顺延停课的天数。</source>
      <translation>While paused the student leaves the class and no lesson is charged; the lessons left are kept, and on resuming the contract is extended by the days paused.</translation>
    </message>
    <message>
      <source>复课：学员回到班级，从今天起点名。</source>
      <translation>Resume: the student is back in class, called from today.</translation>
    </message>
    <message>
      <source>{action}已办理：{contract}</source>
      <translation>{action} done: {contract}</translation>
    </message>
    <message>
      <source>班级</source>
      <translation>Class</translation>
    </message>
    <message>
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>本课程没有其他班级可转</source>
      <translation>This course has no other class to move to</translation>
    </message>
    <message>
      <source>{student}　{course}　{day}　{amount}
家长异议：{reason}
{left}</source>
      <translation>{student}  {course}  {day}  {amount}
Parent's objection: {reason}
{left}</translation>
    </message>
    <message>
      <source>用点名记录答复异议</source>
      <translation>Answer the dispute with the roll-call record</translation>
    </message>
    <message>
      <source>正在读取点名记录…</source>
      <translation>Reading the roll-call record…</translation>
    </message>
    <message>
      <source>补充说明（选填，家长会在平台上看到）</source>
      <translation>Note (optional; the parent reads it on the platform)</translation>
    </message>
    <message>
      <source>同班其他学员的姓名会脱敏。答复在下次同步时发送给平台，家长可接受或提请监管部门处理。</source>
      <translation>Classmates' names are masked. The answer is sent to the platform at the next sync; the parent may accept it or take it to the regulator.</translation>
    </message>
    <message>
      <source>发送答复</source>
      <translation>Send answer</translation>
    </message>
    <message>
      <source>{day} {time}　{course}　{klass}　老师：{teacher}
点名：{by}，{at}　本人考勤：{status}</source>
      <translation>{day} {time}  {course}  {klass}  Teacher: {teacher}
Roll call: {by}, {at}  This student: {status}</translation>
    </message>
    <message>
      <source>已保存答复，将在下次同步时发送给平台</source>
      <translation>Answer saved; it is sent to the platform at the next sync</translation>
    </message>
    <message>
      <source>撤销扣课</source>
      <translation>Reverse charge</translation>
    </message>
    <message>
      <source>撤销后，这节课的课时和金额退回合同（记一笔冲正流水），平台不再向机构划拨这节课的监管资金。不能撤回。</source>
      <translation>The lesson's units and amount go back to the contract (a reversing ledger entry) and the platform will not release this lesson's supervised funds to the institution. This cannot be undone.</translation>
    </message>
    <message>
      <source>说明（选填，家长会在平台上看到）</source>
      <translation>Note (optional; the parent reads it on the platform)</translation>
    </message>
    <message>
      <source>学员</source>
      <translation>Student</translation>
    </message>
    <message>
      <source>考勤</source>
      <translation>Attendance</translation>
    </message>
    <message>
      <source>已撤销这节先学后付课的欠费；将在下次同步时通知平台</source>
      <translation>The amount owed for this pay-after lesson was withdrawn; the platform is told at the next sync</translation>
    </message>
    <message>
      <source>已撤销扣课，课时已退回合同；将在下次同步时通知平台</source>
      <translation>Charge reversed and the units returned to the contract; the platform is told at the next sync</translation>
    </message>
    <message>
      <source>文书与打印</source>
      <translation>Documents and printing</translation>
    </message>
    <message>
      <source>A5 纸</source>
      <translation>A5 paper</translation>
    </message>
    <message>
      <source>80 mm 热敏纸</source>
      <translation>80 mm thermal roll</translation>
    </message>
    <message>
      <source>58 mm 热敏纸</source>
      <translation>58 mm thermal roll</translation>
    </message>
    <message>
      <source>机构信息（合同甲方）…</source>
      <translation>Institution details (party A of contracts)…</translation>
    </message>
    <message>
      <source>收据纸张</source>
      <translation>Receipt paper</translation>
    </message>
    <message>
      <source>课程与课时</source>
      <translation>Course and lessons</translation>
    </message>
    <message>
      <source>课程</source>
      <translation>Course</translation>
    </message>
    <message>
      <source>购买课时</source>
      <translation>Lessons bought</translation>
    </message>
    <message>
      <source>赠送课时</source>
      <translation>Free lessons</translation>
    </message>
    <message>
      <source>收费金额（元）</source>
      <translation>Amount (yuan)</translation>
    </message>
    <message>
      <source>开始日期</source>
      <translation>Start date</translation>
    </message>
    <message>
      <source>结束日期</source>
      <translation>End date</translation>
    </message>
    <message>
      <source>付款方式</source>
      <translation>Payment method</translation>
    </message>
    <message>
      <source>（暂不分班）</source>
      <translation>(no class yet)</translation>
    </message>
    <message>
      <source>收费检查与合同预览</source>
      <translation>Charge checks and contract preview</translation>
    </message>
    <message>
      <source>导出合同草稿 PDF…</source>
      <translation>Export contract draft as PDF…</translation>
    </message>
    <message>
      <source>正在检查收费规定…</source>
      <translation>Checking the charging rules…</translation>
    </message>
    <message>
      <source>确认收费</source>
      <translation>Confirm payment</translation>
    </message>
    <message>
      <source>签约并收费</source>
      <translation>Sign and take payment</translation>
    </message>
    <message>
      <source>学员：{student}
课程：{course}
课时：{units}（赠送 {gift}）
金额：{fee} 元
付款方式：{method}</source>
      <translation>Student: {student}
Course: {course}
Lessons: {units} (free: {gift})
Amount: {fee} yuan
Payment method: {method}</translation>
    </message>
    <message>
      <source>收据</source>
      <translation>Receipt</translation>
    </message>
    <message>
      <source>保存收据 PDF…</source>
      <translation>Save receipt as PDF…</translation>
    </message>
    <message>
      <source>打印收据…</source>
      <translation>Print receipt…</translation>
    </message>
    <message>
      <source>保存合同 PDF…</source>
      <translation>Save contract as PDF…</translation>
    </message>
    <message>
      <source>新报名：{name}</source>
      <translation>New enrollment: {name}</translation>
    </message>
    <message>
      <source>下一步</source>
      <translation>Next</translation>
    </message>
    <message>
      <source>上一步</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>完成</source>
      <translation>Finish</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>正在签约…</source>
      <translation>Signing…</translation>
    </message>
    <message>
      <source>已签约：合同 {contract}，收据 {receipt}</source>
      <translation>Signed: contract {contract}, receipt {receipt}</translation>
    </message>
    <message>
      <source>已保存 {path}</source>
      <translation>Saved {path}</translation>
    </message>
    <message>
      <source>保存 PDF</source>
      <translation>Save PDF</translation>
    </message>
    <message>
      <source>PDF 文件 (*.pdf)</source>
      <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
      <source>请选择课程</source>
      <translation>Please choose a course</translation>
    </message>
    <message>
      <source>✔ 符合收费规定（同科目剩余 {units} 课时）</source>
      <translation>✔ Meets the charging rules ({units} lessons left in this subject)</translation>
    </message>
    <message>
      <source>不符合收费规定，不能签约：
{lines}</source>
      <translation>Breaks the charging rules, cannot sign:
{lines}</translation>
    </message>
    <message>
      <source>程序错误</source>
      <translation>Program error</translation>
    </message>
    <message>
      <source>复制详细信息</source>
      <translation>Copy details</translation>
    </message>
    <message>
      <source>请把下面的详细信息复制给技术支持。日志文件：{path}</source>
      <translation>Please copy the details below to support. Log file: {path}</translation>
    </message>
    <message>
      <source>欢迎使用 InstDesk 机构工作台</source>
      <translation>Welcome to InstDesk</translation>
    </message>
    <message>
      <source>在本机创建机构（可离线使用，稍后再登录平台）</source>
      <translation>Create the institution on this computer (works offline; log in to the platform later)</translation>
    </message>
    <message>
      <source>登录监管平台，下载本机构的数据</source>
      <translation>Log in to the supervision platform and download this institution's data</translation>
    </message>
    <message>
      <source>首次使用</source>
      <translation>First run</translation>
    </message>
    <message>
      <source>机构信息</source>
      <translation>Institution</translation>
    </message>
    <message>
      <source>机构名称</source>
      <translation>Institution name</translation>
    </message>
    <message>
      <source>统一社会信用代码</source>
      <translation>Unified social credit code</translation>
    </message>
    <message>
      <source>登录监管平台</source>
      <translation>Log in to the supervision platform</translation>
    </message>
    <message>
      <source>服务器地址</source>
      <translation>Server address</translation>
    </message>
    <message>
      <source>平台密码</source>
      <translation>Platform password</translation>
    </message>
    <message>
      <source>第一个管理员账号</source>
      <translation>First manager account</translation>
    </message>
    <message>
      <source>用户名</source>
      <translation>User name</translation>
    </message>
    <message>
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>确认密码</source>
      <translation>Confirm password</translation>
    </message>
    <message>
      <source>正在创建机构…</source>
      <translation>Creating the institution…</translation>
    </message>
    <message>
      <source>本机已加入机构，但还没有用户：请创建第一个管理员账号</source>
      <translation>This desk has joined the institution but has no user yet: create the first manager account</translation>
    </message>
    <message>
      <source>两次输入的密码不一致</source>
      <translation>The two passwords differ</translation>
    </message>
    <message>
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>性别</source>
      <translation>Gender</translation>
    </message>
    <message>
      <source>出生日期</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <source>证件类型</source>
      <translation>ID type</translation>
    </message>
    <message>
      <source>证件号码</source>
      <translation>ID number</translation>
    </message>
    <message>
      <source>学校</source>
      <translation>School</translation>
    </message>
    <message>
      <source>年级</source>
      <translation>Grade</translation>
    </message>
    <message>
      <source>学段</source>
      <translation>Stage</translation>
    </message>
    <message>
      <source>手机号</source>
      <translation>Mobile</translation>
    </message>
    <message>
      <source>卡号</source>
      <translation>Card</translation>
    </message>
    <message>
      <source>监护人姓名</source>
      <translation>Guardian name</translation>
    </message>
    <message>
      <source>监护人关系</source>
      <translation>Guardian relation</translation>
    </message>
    <message>
      <source>监护人手机</source>
      <translation>Guardian mobile</translation>
    </message>
    <message>
      <source>已导入 {n} 名学员，跳过 {k} 名已在系统中的学员。</source>
      <translation>Imported {n} students; skipped {k} already on file.</translation>
    </message>
    <message>
      <source>行</source>
      <translation>Row</translation>
    </message>
    <message>
      <source>列</source>
      <translation>Column</translation>
    </message>
    <message>
      <source>选择文件</source>
      <translation>Choose a file</translation>
    </message>
    <message>
      <source>Excel（.xlsx，第一个工作表）或 CSV 文件，第一行为列名。</source>
      <translation>Excel (.xlsx, first sheet) or CSV file, with the column names in the first row.</translation>
    </message>
    <message>
      <source>学员名单.xlsx</source>
      <translation>roster.xlsx</translation>
    </message>
    <message>
      <source>浏览…</source>
      <translation>Browse…</translation>
    </message>
    <message>
      <source>选择学员名单</source>
      <translation>Choose the student roster</translation>
    </message>
    <message>
      <source>表格 (*.xlsx *.csv)</source>
      <translation>Spreadsheets (*.xlsx *.csv)</translation>
    </message>
    <message>
      <source>核对列</source>
      <translation>Check the columns</translation>
    </message>
    <message>
      <source>已按列名自动对应字段；如有不对，请在每列上方的下拉框中更改。</source>
      <translation>Fields were matched from the column names; change any in the drop-down above its column.</translation>
    </message>
    <message>
      <source>共 {n} 行学员数据，下面是前 {k} 行：</source>
      <translation>{n} rows of students; the first {k}:</translation>
    </message>
    <message>
      <source>检查结果</source>
      <translation>Check result</translation>
    </message>
    <message>
      <source>正在检查每一行…</source>
      <translation>Checking every row…</translation>
    </message>
    <message>
      <source>导入</source>
      <translation>Import</translation>
    </message>
    <message>
      <source>导入学员</source>
      <translation>Import students</translation>
    </message>
    <message>
      <source>开始导入</source>
      <translation>Start import</translation>
    </message>
    <message>
      <source>正在读取文件…</source>
      <translation>Reading the file…</translation>
    </message>
    <message>
      <source>正在导入…</source>
      <translation>Importing…</translation>
    </message>
    <message>
      <source>已取消导入，未导入任何学员</source>
      <translation>Import cancelled; no student was imported</translation>
    </message>
    <message>
      <source>字段</source>
      <translation>Field</translation>
    </message>
    <message>
      <source>（不导入）</source>
      <translation>(not imported)</translation>
    </message>
    <message>
      <source>发现 {n} 处错误，不能导入。请改正文件后重新选择（一个学员也不会导入）。</source>
      <translation>{n} problems found: nothing can be imported. Fix the file and choose it again (no student is imported).</translation>
    </message>
    <message>
      <source>全部有效：将导入 {n} 名学员；{k} 名已在系统中，将跳过（见下表）。</source>
      <translation>All valid: {n} students will be imported; {k} already on file will be skipped (listed below).</translation>
    </message>
    <message>
      <source>文件为空</source>
      <translation>The file is empty</translation>
    </message>
    <message>
      <source>未导入：{n} 处错误</source>
      <translation>Not imported: {n} problems</translation>
    </message>
    <message>
      <source>请为“{field}”选择一列</source>
      <translation>Choose a column for “{field}”</translation>
    </message>
    <message>
      <source>列“{column}”与另一列对应了同一个字段</source>
      <translation>Column “{column}” is matched to the same field as another column</translation>
    </message>
    <message>
      <source>正在检查…</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <source>办学地址</source>
      <translation>School address</translation>
    </message>
    <message>
      <source>审批机关</source>
      <translation>Approving authority</translation>
    </message>
    <message>
      <source>登记注册机关</source>
      <translation>Registration authority</translation>
    </message>
    <message>
      <source>办学许可证编号</source>
      <translation>School licence number</translation>
    </message>
    <message>
      <source>线上机构ICP备案号</source>
      <translation>ICP filing number (online)</translation>
    </message>
    <message>
      <source>联系人</source>
      <translation>Contact person</translation>
    </message>
    <message>
      <source>联系电话</source>
      <translation>Contact phone</translation>
    </message>
    <message>
      <source>监管银行</source>
      <translation>Supervising bank</translation>
    </message>
    <message>
      <source>监管账户名称</source>
      <translation>Supervised account name</translation>
    </message>
    <message>
      <source>监管账号</source>
      <translation>Supervised account number</translation>
    </message>
    <message>
      <source>管辖法院或仲裁委员会</source>
      <translation>Court or arbitration commission</translation>
    </message>
    <message>
      <source>办学许可证有效期至</source>
      <translation>School licence valid until</translation>
    </message>
    <message>
      <source>民非登记证/营业执照有效期至</source>
      <translation>Registration certificate / business licence valid until</translation>
    </message>
    <message>
      <source>开班前全额退费天数</source>
      <translation>Full refund: days before the class starts</translation>
    </message>
    <message>
      <source>开班后全额退费天数</source>
      <translation>Full refund: days after the class starts</translation>
    </message>
    <message>
      <source>预收费监管方式</source>
      <translation>Prepaid fee supervision</translation>
    </message>
    <message>
      <source>争议解决方式</source>
      <translation>Dispute resolution</translation>
    </message>
    <message>
      <source>机构信息（合同甲方）</source>
      <translation>Institution details (party A of contracts)</translation>
    </message>
    <message>
      <source>银行托管</source>
      <translation>Bank escrow</translation>
    </message>
    <message>
      <source>风险保证金</source>
      <translation>Risk guarantee deposit</translation>
    </message>
    <message>
      <source>未约定</source>
      <translation>Not agreed</translation>
    </message>
    <message>
      <source>向人民法院起诉</source>
      <translation>Sue at a people's court</translation>
    </message>
    <message>
      <source>提交仲裁委员会仲裁</source>
      <translation>Submit to an arbitration commission</translation>
    </message>
    <message>
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <source> 天</source>
      <translation> days</translation>
    </message>
    <message>
      <source>机构信息已保存，将随下次同步上传平台</source>
      <translation>Institution details saved; they go to the platform with the next sync</translation>
    </message>
    <message>
      <source>{field}应为 YYYY-MM-DD 格式的日期</source>
      <translation>{field} must be a date as YYYY-MM-DD</translation>
    </message>
    <message>
      <source>新增班级：{course}</source>
      <translation>New class: {course}</translation>
    </message>
    <message>
      <source>（暂不指定）</source>
      <translation>(not yet assigned)</translation>
    </message>
    <message>
      <source>请填写班级名称</source>
      <translation>Enter the class name</translation>
    </message>
    <message>
      <source>教室容量{room}人，小于班级容量{n}人</source>
      <translation>The room seats {room}, fewer than the class capacity of {n}</translation>
    </message>
    <message>
      <source>最低开班人数不能超过容量</source>
      <translation>The minimum size cannot exceed the capacity</translation>
    </message>
    <message>
      <source>{name}（{n}人）</source>
      <translation>{name} ({n} seats)</translation>
    </message>
    <message>
      <source>班级名称</source>
      <translation>Class name</translation>
    </message>
    <message>
      <source>教师</source>
      <translation>Teacher</translation>
    </message>
    <message>
      <source>教室</source>
      <translation>Room</translation>
    </message>
    <message>
      <source>容量</source>
      <translation>Capacity</translation>
    </message>
    <message>
      <source>最低开班人数</source>
      <translation>Minimum size</translation>
    </message>
    <message>
      <source>{klass}（{course}）{day} {start}–{end}</source>
      <translation>{klass} ({course}) {day} {start}–{end}</translation>
    </message>
    <message>
      <source>已取消。</source>
      <translation>Cancelled.</translation>
    </message>
    <message>
      <source>未保存：发现 {n} 个问题，请调整后重试。</source>
      <translation>Not saved: {n} problems found. Adjust and try again.</translation>
    </message>
    <message>
      <source>（班级默认）</source>
      <translation>(class default)</translation>
    </message>
    <message>
      <source>已加课：{day}</source>
      <translation>Lesson added: {day}</translation>
    </message>
    <message>
      <source>取消课次</source>
      <translation>Cancel lesson</translation>
    </message>
    <message>
      <source>如：老师请假、场地维修</source>
      <translation>e.g. teacher on leave, room under repair</translation>
    </message>
    <message>
      <source>课次</source>
      <translation>Lesson</translation>
    </message>
    <message>
      <source>取消原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>安排补课…</source>
      <translation>Schedule a make-up…</translation>
    </message>
    <message>
      <source>已退回 {n} 名学员的课时。</source>
      <translation>Lessons given back to {n} students.</translation>
    </message>
    <message>
      <source>不用补课</source>
      <translation>No make-up</translation>
    </message>
    <message>
      <source>调课</source>
      <translation>Move lesson</translation>
    </message>
    <message>
      <source>（不变）</source>
      <translation>(unchanged)</translation>
    </message>
    <message>
      <source>已调课至 {day}</source>
      <translation>Lesson moved to {day}</translation>
    </message>
    <message>
      <source>代课</source>
      <translation>Substitute teacher</translation>
    </message>
    <message>
      <source>原教师</source>
      <translation>Teacher</translation>
    </message>
    <message>
      <source>代课教师</source>
      <translation>Substitute</translation>
    </message>
    <message>
      <source>已更换代课教师：{name}</source>
      <translation>Substitute teacher set: {name}</translation>
    </message>
    <message>
      <source>加课</source>
      <translation>Add a lesson</translation>
    </message>
    <message>
      <source>安排补课</source>
      <translation>Schedule a make-up</translation>
    </message>
    <message>
      <source>{course} · {klass}</source>
      <translation>{course} · {klass}</translation>
    </message>
    <message>
      <source>日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <source>上课时间</source>
      <translation>Start time</translation>
    </message>
    <message>
      <source>下课时间</source>
      <translation>End time</translation>
    </message>
    <message>
      <source>取消后本节课不扣任何学员的课时；已点名的课时将退回。</source>
      <translation>Nobody is charged for a cancelled lesson; lessons already charged are given back.</translation>
    </message>
    <message>
      <source>请填写取消原因</source>
      <translation>Please give the reason</translation>
    </message>
    <message>
      <source>需要为本班安排补课吗？</source>
      <translation>Schedule a make-up lesson for this class?</translation>
    </message>
    <message>
      <source>新日期</source>
      <translation>New date</translation>
    </message>
    <message>
      <source>未指定</source>
      <translation>Not assigned</translation>
    </message>
    <message>
      <source>添加培训材料</source>
      <translation>Add training material</translation>
    </message>
    <message>
      <source>编辑材料信息</source>
      <translation>Edit material details</translation>
    </message>
    <message>
      <source>上传新版本</source>
      <translation>Upload a new version</translation>
    </message>
    <message>
      <source>选择文件（不超过 50 MB）</source>
      <translation>Choose a file (at most 50 MB)</translation>
    </message>
    <message>
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <source>已审核</source>
      <translation>Reviewed</translation>
    </message>
    <message>
      <source>审核人</source>
      <translation>Reviewer</translation>
    </message>
    <message>
      <source>审核日期</source>
      <translation>Review date</translation>
    </message>
    <message>
      <source>选择培训材料文件</source>
      <translation>Choose a training-material file</translation>
    </message>
    <message>
      <source>文档 (*.pdf *.doc *.docx *.ppt *.pptx *.xls *.xlsx *.txt);;所有文件 (*)</source>
      <translation>Documents (*.pdf *.doc *.docx *.ppt *.pptx *.xls *.xlsx *.txt);;All files (*)</translation>
    </message>
    <message>
      <source>请选择文件</source>
      <translation>Choose a file</translation>
    </message>
    <message>
      <source>请填写材料名称</source>
      <translation>Enter the material's title</translation>
    </message>
    <message>
      <source>请填写版本号</source>
      <translation>Enter the version</translation>
    </message>
    <message>
      <source>新版本的版本号不能与当前版本相同</source>
      <translation>The new version must differ from the current one</translation>
    </message>
    <message>
      <source>培训材料：{course}</source>
      <translation>Training materials: {course}</translation>
    </message>
    <message>
      <source>材料文件保存在本机并随数据库备份；下次同步时只上传平台还没有的文件。</source>
      <translation>Material files are kept on this computer and backed up with the database; the next sync uploads only the files the platform does not have yet.</translation>
    </message>
    <message>
      <source>添加文件…</source>
      <translation>Add file…</translation>
    </message>
    <message>
      <source>编辑信息…</source>
      <translation>Edit details…</translation>
    </message>
    <message>
      <source>上传新版本…</source>
      <translation>New version…</translation>
    </message>
    <message>
      <source>关闭</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>文件</source>
      <translation>File</translation>
    </message>
    <message>
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>类型</source>
      <translation>Type</translation>
    </message>
    <message>
      <source>作者/来源</source>
      <translation>Author/source</translation>
    </message>
    <message>
      <source>版本号</source>
      <translation>Version</translation>
    </message>
    <message>
      <source>使用班级</source>
      <translation>Used by classes</translation>
    </message>
    <message>
      <source>先学后付报名：{name}</source>
      <translation>Pay-after-learning enrolment: {name}</translation>
    </message>
    <message>
      <source>先学后付不预收任何费用：每节课点名后记为欠费，家长课后在前台或平台付款。</source>
      <translation>Pay after learning takes no prepayment: each lesson is owed once the roll call is taken, and the parent pays after the lesson at the desk or on the platform.</translation>
    </message>
    <message>
      <source>签约</source>
      <translation>Sign</translation>
    </message>
    <message>
      <source>每节课单价（元）</source>
      <translation>Price per lesson (yuan)</translation>
    </message>
    <message>
      <source>付款约定</source>
      <translation>Payment terms</translation>
    </message>
    <message>
      <source>已签约先学后付合同 {contract}，每节课 {price} 元，不预收费用</source>
      <translation>Pay-after-learning contract {contract} signed: {price} yuan per lesson, nothing prepaid</translation>
    </message>
    <message>
      <source>先学后付收款：{name}</source>
      <translation>Payment after lessons: {name}</translation>
    </message>
    <message>
      <source>所选的 {n} 节课，共欠 {amount} 元</source>
      <translation>The {n} chosen lessons, {amount} yuan owed</translation>
    </message>
    <message>
      <source>从最早的课付起，共 {n} 节课欠 {amount} 元</source>
      <translation>Oldest lessons first: {n} lessons, {amount} yuan owed</translation>
    </message>
    <message>
      <source>收款</source>
      <translation>Payments</translation>
    </message>
    <message>
      <source>付哪些课</source>
      <translation>Lessons paid</translation>
    </message>
    <message>
      <source>金额（元）</source>
      <translation>Amount (yuan)</translation>
    </message>
    <message>
      <source>已收款 {amount} 元，收据 {receipt}；仍欠 {left} 元</source>
      <translation>Received {amount} yuan, receipt {receipt}; {left} yuan still owed</translation>
    </message>
    <message>
      <source>还没有先学后付课程：请先在“课程”中把课程设为先学后付。</source>
      <translation>There is no pay-after-learning course yet: mark a course as pay after learning in Courses first.</translation>
    </message>
    <message>
      <source>InstDesk 机构工作台</source>
      <translation>InstDesk</translation>
    </message>
    <message>
      <source>退还 {amount}（{units} 课时）：{why}</source>
      <translation>Refund {amount} ({units} lessons): {why}</translation>
    </message>
    <message>
      <source>退费：{name}</source>
      <translation>Refund: {name}</translation>
    </message>
    <message>
      <source>请选择合同</source>
      <translation>Choose a contract</translation>
    </message>
    <message>
      <source>如：搬家、时间冲突（必填）</source>
      <translation>e.g. moving house, timetable clash (required)</translation>
    </message>
    <message>
      <source>管理员用户名</source>
      <translation>Manager's user name</translation>
    </message>
    <message>
      <source>保存退费单 PDF…</source>
      <translation>Save refund slip PDF…</translation>
    </message>
    <message>
      <source>打印退费单…</source>
      <translation>Print refund slip…</translation>
    </message>
    <message>
      <source>确认退费</source>
      <translation>Confirm refund</translation>
    </message>
    <message>
      <source>退费金额</source>
      <translation>Refund amount</translation>
    </message>
    <message>
      <source>退费原因</source>
      <translation>Refund reason</translation>
    </message>
    <message>
      <source>请选择可退费的合同</source>
      <translation>Choose a contract that can be refunded</translation>
    </message>
    <message>
      <source>请填写退费原因</source>
      <translation>Enter the refund reason</translation>
    </message>
    <message>
      <source>请管理员填写用户名</source>
      <translation>The manager enters their user name</translation>
    </message>
    <message>
      <source>请管理员输入密码</source>
      <translation>The manager enters their password</translation>
    </message>
    <message>
      <source>已退费 {amount}（{units} 课时），同步后由监管账户退回。</source>
      <translation>Refunded {amount} ({units} lessons); the escrow account pays it back after the sync.</translation>
    </message>
    <message>
      <source>已退费 {amount}</source>
      <translation>Refunded {amount}</translation>
    </message>
    <message>
      <source>管理员</source>
      <translation>Manager</translation>
    </message>
    <message>
      <source>该学员没有可退费的合同</source>
      <translation>This student has no contract to refund</translation>
    </message>
    <message>
      <source>剩余赠送课时 {n} 课时随退费作废</source>
      <translation>The {n} gift lessons left lapse with the refund</translation>
    </message>
    <message>
      <source>退费须经管理员确认：</source>
      <translation>A manager confirms the refund:</translation>
    </message>
    <message>
      <source>拒绝退费申请</source>
      <translation>Refuse refund request</translation>
    </message>
    <message>
      <source>{student} 申请退费 {amount}：{reason}</source>
      <translation>{student} asks for a refund of {amount}: {reason}</translation>
    </message>
    <message>
      <source>拒绝理由（家长会在平台上看到）</source>
      <translation>Reason for refusing (the parent sees it on the platform)</translation>
    </message>
    <message>
      <source>拒绝在下次同步时发送给平台；如平台已按逾期未答复视为同意，拒绝不会生效，届时会在此列出。</source>
      <translation>The refusal is sent to the platform with the next sync. If the platform has already agreed because the deadline passed without an answer, the refusal does not take effect and the request is listed here again.</translation>
    </message>
    <message>
      <source>拒绝</source>
      <translation>Refuse</translation>
    </message>
    <message>
      <source>已拒绝退费申请，将在下次同步时发送给平台</source>
      <translation>Refund request refused; it will be sent to the platform with the next sync</translation>
    </message>
    <message>
      <source>已排课 {n} 节</source>
      <translation>{n} lessons scheduled</translation>
    </message>
    <message>
      <source>新增排课规则</source>
      <translation>New schedule rule</translation>
    </message>
    <message>
      <source>，跳过 {n} 个节假日或寒暑假日期</source>
      <translation>, {n} holiday or school-break dates skipped</translation>
    </message>
    <message>
      <source>星期</source>
      <translation>Weekday</translation>
    </message>
    <message>
      <source>以下 {n} 个日期是节假日或寒暑假，将跳过；其余 {m} 节课照常排。确认排课吗？</source>
      <translation>These {n} dates are holidays or school breaks and will be skipped; the other {m} lessons are scheduled. Confirm?</translation>
    </message>
    <message>
      <source>确认排课</source>
      <translation>Confirm schedule</translation>
    </message>
    <message>
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>监管平台</source>
      <translation>Supervision platform</translation>
    </message>
    <message>
      <source>登录平台</source>
      <translation>Log in to platform</translation>
    </message>
    <message>
      <source>退出平台</source>
      <translation>Log out of platform</translation>
    </message>
    <message>
      <source>校历（寒暑假）</source>
      <translation>School calendar (breaks)</translation>
    </message>
    <message>
      <source>语言</source>
      <translation>Language</translation>
    </message>
    <message>
      <source>界面语言</source>
      <translation>Interface language</translation>
    </message>
    <message>
      <source>点名</source>
      <translation>Roll call</translation>
    </message>
    <message>
      <source>课时不足的学员照常点名，记为欠课时（不勾选则拒绝点名）</source>
      <translation>Mark students with no lessons left and record the lesson as owed (unchecked: refuse them)</translation>
    </message>
    <message>
      <source>正在登录平台…</source>
      <translation>Logging in to the platform…</translation>
    </message>
    <message>
      <source>已登录监管平台</source>
      <translation>Logged in to the supervision platform</translation>
    </message>
    <message>
      <source>平台登录已失效，请重新登录</source>
      <translation>Platform login expired, please log in again</translation>
    </message>
    <message>
      <source>界面语言将在重新启动后生效</source>
      <translation>The interface language changes after a restart</translation>
    </message>
    <message>
      <source>已登录平台</source>
      <translation>Logged in to the platform</translation>
    </message>
    <message>
      <source>未登录平台</source>
      <translation>Not logged in to the platform</translation>
    </message>
    <message>
      <source>登录 InstDesk</source>
      <translation>Sign in to InstDesk</translation>
    </message>
    <message>
      <source>登录</source>
      <translation>Sign in</translation>
    </message>
    <message>
      <source>如：初中数学</source>
      <translation>e.g. junior-secondary maths</translation>
    </message>
    <message>
      <source>中小学、幼儿园在职教师</source>
      <translation>Serving school or kindergarten teacher</translation>
    </message>
    <message>
      <source>准入查询</source>
      <translation>Background check</translation>
    </message>
    <message>
      <source>编辑员工</source>
      <translation>Edit staff member</translation>
    </message>
    <message>
      <source>新增员工</source>
      <translation>New staff member</translation>
    </message>
    <message>
      <source>身份证号（选填）</source>
      <translation>ID card number (optional)</translation>
    </message>
    <message>
      <source>人员类别</source>
      <translation>Staff category</translation>
    </message>
    <message>
      <source>聘用方式</source>
      <translation>Employment</translation>
    </message>
    <message>
      <source>手机</source>
      <translation>Mobile</translation>
    </message>
    <message>
      <source>证件号</source>
      <translation>ID number</translation>
    </message>
    <message>
      <source>教师资格证学科</source>
      <translation>Teacher certificate subject</translation>
    </message>
    <message>
      <source>教师资格证编号</source>
      <translation>Teacher certificate no.</translation>
    </message>
    <message>
      <source>能力证明编号</source>
      <translation>Ability certificate no.</translation>
    </message>
    <message>
      <source>在职教师</source>
      <translation>Serving teacher</translation>
    </message>
    <message>
      <source>未填写教师资格证或能力证明：不能安排授课。</source>
      <translation>No teacher or ability certificate: cannot be scheduled to teach.</translation>
    </message>
    <message>
      <source>身份证</source>
      <translation>ID card</translation>
    </message>
    <message>
      <source>护照</source>
      <translation>Passport</translation>
    </message>
    <message>
      <source>其他</source>
      <translation>Other</translation>
    </message>
    <message>
      <source>删除</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>18位身份证号码（选填）</source>
      <translation>18-digit ID card number (optional)</translation>
    </message>
    <message>
      <source>YYYY-MM-DD（有身份证号时自动填写）</source>
      <translation>YYYY-MM-DD (from the ID card number when given)</translation>
    </message>
    <message>
      <source>（未填）</source>
      <translation>(not given)</translation>
    </message>
    <message>
      <source>学员卡号（选填）</source>
      <translation>Student card number (optional)</translation>
    </message>
    <message>
      <source>添加监护人</source>
      <translation>Add guardian</translation>
    </message>
    <message>
      <source>打开已有学员</source>
      <translation>Open the existing student</translation>
    </message>
    <message>
      <source>保存并报名</source>
      <translation>Save and enrol</translation>
    </message>
    <message>
      <source>监护人</source>
      <translation>Guardian</translation>
    </message>
    <message>
      <source>证件信息：{birth} 出生，{gender}</source>
      <translation>From the ID card: born {birth}, {gender}</translation>
    </message>
    <message>
      <source>日期格式不正确，应为 YYYY-MM-DD</source>
      <translation>Not a date: use YYYY-MM-DD</translation>
    </message>
    <message>
      <source>卡号已被学员{name}使用</source>
      <translation>Card number already used by {name}</translation>
    </message>
    <message>
      <source>该身份证号码的学员已存在：{name}（{masked}），不能重复建档</source>
      <translation>A student with this ID number exists: {name} ({masked}); no second record</translation>
    </message>
    <message>
      <source>可能重复：已有同名学员{name}，监护人手机相同</source>
      <translation>Possible duplicate: {name} is on file with the same guardian mobile</translation>
    </message>
    <message>
      <source>父亲</source>
      <translation>Father</translation>
    </message>
    <message>
      <source>母亲</source>
      <translation>Mother</translation>
    </message>
    <message>
      <source>祖父</source>
      <translation>Grandfather</translation>
    </message>
    <message>
      <source>祖母</source>
      <translation>Grandmother</translation>
    </message>
    <message>
      <source>编辑学员</source>
      <translation>Edit student</translation>
    </message>
    <message>
      <source>新学员</source>
      <translation>New student</translation>
    </message>
    <message>
      <source>已登记 {masked}，不修改请留空</source>
      <translation>On file: {masked}; leave empty to keep it</translation>
    </message>
    <message>
      <source>前台</source>
      <translation>Front desk</translation>
    </message>
    <message>
      <source>管理</source>
      <translation>Manager</translation>
    </message>
    <message>
      <source>统计</source>
      <translation>Statistics</translation>
    </message>
    <message>
      <source>新增登录</source>
      <translation>New login</translation>
    </message>
    <message>
      <source>（不关联员工）</source>
      <translation>(no staff member)</translation>
    </message>
    <message>
      <source>字母、数字、下划线、点和横线</source>
      <translation>letters, digits, underscore, dot and hyphen</translation>
    </message>
    <message>
      <source>员工</source>
      <translation>Staff</translation>
    </message>
    <message>
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <source>已新增登录：{name}（{role}）</source>
      <translation>Login added: {name} ({role})</translation>
    </message>
    <message>
      <source>重设密码</source>
      <translation>Reset password</translation>
    </message>
    <message>
      <source>用户</source>
      <translation>Users</translation>
    </message>
    <message>
      <source>已重设 {name} 的密码</source>
      <translation>Password of {name} reset</translation>
    </message>
    <message>
      <source>打印</source>
      <translation>Print</translation>
    </message>
    <message>
      <source>请安装并解锁系统密钥环（如 GNOME Keyring）后重试；InstDesk 不会以明文保存密码。</source>
      <translation>Install and unlock a system keyring (such as GNOME Keyring), then try again; InstDesk never stores passwords in plain text.</translation>
    </message>
    <message>
      <source>程序出现了意外错误。</source>
      <translation>Something unexpected went wrong.</translation>
    </message>
    <message>
      <source>平台登录已过期。</source>
      <translation>The platform login has expired.</translation>
    </message>
    <message>
      <source>请在“设置”中重新登录平台。</source>
      <translation>Log in to the platform again under Settings.</translation>
    </message>
    <message>
      <source>无法连接监管平台，当前处于离线状态。</source>
      <translation>Cannot reach the supervision platform; working offline.</translation>
    </message>
    <message>
      <source>本机数据照常保存，联网后会自动同步。</source>
      <translation>Your data is saved on this computer and syncs automatically when online.</translation>
    </message>
    <message>
      <source>系统密钥环不可用，无法保存平台登录凭据。</source>
      <translation>No system keyring is available to keep the platform login.</translation>
    </message>
    <message>
      <source>{amount} 元</source>
      <translation>¥{amount}</translation>
    </message>
    <message>
      <source>出勤</source>
      <translation>Present</translation>
    </message>
    <message>
      <source>迟到</source>
      <translation>Late</translation>
    </message>
    <message>
      <source>请假</source>
      <translation>Leave</translation>
    </message>
    <message>
      <source>缺勤</source>
      <translation>Absent</translation>
    </message>
    <message>
      <source>试听</source>
      <translation>Trial</translation>
    </message>
    <message>
      <source>补课</source>
      <translation>Make-up</translation>
    </message>
    <message>
      <source>现金</source>
      <translation>Cash</translation>
    </message>
    <message>
      <source>微信</source>
      <translation>WeChat Pay</translation>
    </message>
    <message>
      <source>支付宝</source>
      <translation>Alipay</translation>
    </message>
    <message>
      <source>银行卡</source>
      <translation>Bank card</translation>
    </message>
    <message>
      <source>转账</source>
      <translation>Bank transfer</translation>
    </message>
    <message>
      <source>平台支付</source>
      <translation>Platform payment</translation>
    </message>
    <message>
      <source>执行中</source>
      <translation>Active</translation>
    </message>
    <message>
      <source>已结束</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>已退费</source>
      <translation>Refunded</translation>
    </message>
    <message>
      <source>未点名</source>
      <translation>Not marked</translation>
    </message>
    <message>
      <source>已上课</source>
      <translation>Held</translation>
    </message>
    <message>
      <source>已取消</source>
      <translation>Cancelled</translation>
    </message>
    <message>
      <source>购买</source>
      <translation>Purchase</translation>
    </message>
    <message>
      <source>赠送</source>
      <translation>Gift</translation>
    </message>
    <message>
      <source>退费</source>
      <translation>Refund</translation>
    </message>
    <message>
      <source>调整</source>
      <translation>Adjustment</translation>
    </message>
    <message>
      <source>过期</source>
      <translation>Expiry</translation>
    </message>
    <message>
      <source>冲正</source>
      <translation>Reversal</translation>
    </message>
    <message>
      <source>男</source>
      <translation>Male</translation>
    </message>
    <message>
      <source>女</source>
      <translation>Female</translation>
    </message>
    <message>
      <source>未知</source>
      <translation>Unknown</translation>
    </message>
    <message>
      <source>机构工作台</source>
      <translation>InstDesk</translation>
    </message>
    <message>
      <source>工具栏</source>
      <translation>Toolbar</translation>
    </message>
    <message>
      <source>退出登录</source>
      <translation>Sign out</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>退出 InstDesk（Ctrl+Q）</source>
      <translation>Quit InstDesk (Ctrl+Q)</translation>
    </message>
    <message>
      <source>{title}（Ctrl+{n}）</source>
      <translation>{title} (Ctrl+{n})</translation>
    </message>
    <message>
      <source>学科类</source>
      <translation>Academic</translation>
    </message>
    <message>
      <source>非学科类</source>
      <translation>Non-academic</translation>
    </message>
    <message>
      <source>线下</source>
      <translation>Offline</translation>
    </message>
    <message>
      <source>线上</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>学龄前</source>
      <translation>Pre-school</translation>
    </message>
    <message>
      <source>义务教育</source>
      <translation>Compulsory education</translation>
    </message>
    <message>
      <source>高中</source>
      <translation>Senior high</translation>
    </message>
    <message>
      <source>一对一</source>
      <translation>One-to-one</translation>
    </message>
    <message>
      <source>小班</source>
      <translation>Small class</translation>
    </message>
    <message>
      <source>大班</source>
      <translation>Large class</translation>
    </message>
    <message>
      <source>缺勤扣课时</source>
      <translation>Absence is charged</translation>
    </message>
    <message>
      <source>缺勤不扣课时</source>
      <translation>Absence is free</translation>
    </message>
    <message>
      <source>草稿</source>
      <translation>Draft</translation>
    </message>
    <message>
      <source>待审核</source>
      <translation>Pending review</translation>
    </message>
    <message>
      <source>已上架</source>
      <translation>Approved</translation>
    </message>
    <message>
      <source>被驳回</source>
      <translation>Rejected</translation>
    </message>
    <message>
      <source>教学人员</source>
      <translation>Teaching staff</translation>
    </message>
    <message>
      <source>教研人员</source>
      <translation>Research staff</translation>
    </message>
    <message>
      <source>其他人员</source>
      <translation>Other staff</translation>
    </message>
    <message>
      <source>专职</source>
      <translation>Full-time</translation>
    </message>
    <message>
      <source>兼职</source>
      <translation>Part-time</translation>
    </message>
    <message>
      <source>未提交</source>
      <translation>Not submitted</translation>
    </message>
    <message>
      <source>核验中</source>
      <translation>Being checked</translation>
    </message>
    <message>
      <source>已通过</source>
      <translation>Passed</translation>
    </message>
    <message>
      <source>未通过</source>
      <translation>Failed</translation>
    </message>
    <message>
      <source>待答复</source>
      <translation>Awaiting answer</translation>
    </message>
    <message>
      <source>已同意</source>
      <translation>Agreed</translation>
    </message>
    <message>
      <source>逾期视为同意</source>
      <translation>Agreed by silence</translation>
    </message>
    <message>
      <source>已拒绝</source>
      <translation>Rejected</translation>
    </message>
    <message>
      <source>家长有异议</source>
      <translation>Disputed by parent</translation>
    </message>
    <message>
      <source>待处理</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>冲突</source>
      <translation>Conflict</translation>
    </message>
    <message>
      <source>周一</source>
      <translation>Mon</translation>
    </message>
    <message>
      <source>周二</source>
      <translation>Tue</translation>
    </message>
    <message>
      <source>周三</source>
      <translation>Wed</translation>
    </message>
    <message>
      <source>周四</source>
      <translation>Thu</translation>
    </message>
    <message>
      <source>周五</source>
      <translation>Fri</translation>
    </message>
    <message>
      <source>周六</source>
      <translation>Sat</translation>
    </message>
    <message>
      <source>周日</source>
      <translation>Sun</translation>
    </message>
    <message>
      <source>剩 {days} 天 {hours} 小时</source>
      <translation>{days} d {hours} h left</translation>
    </message>
    <message>
      <source>待家长确认</source>
      <translation>Awaiting parent</translation>
    </message>
    <message>
      <source>已答复，待家长回应</source>
      <translation>Answered, awaiting parent</translation>
    </message>
    <message>
      <source>已转监管部门</source>
      <translation>With the regulator</translation>
    </message>
    <message>
      <source>家长已确认</source>
      <translation>Confirmed by parent</translation>
    </message>
    <message>
      <source>逾期自动确认</source>
      <translation>Auto-confirmed</translation>
    </message>
    <message>
      <source>已撤销扣课</source>
      <translation>Charge reversed</translation>
    </message>
    <message>
      <source>已撤回</source>
      <translation>Withdrawn</translation>
    </message>
    <message>
      <source>答复待同步</source>
      <translation>answer waiting for sync</translation>
    </message>
    <message>
      <source>平台已收到答复</source>
      <translation>answer received by the platform</translation>
    </message>
    <message>
      <source>答复未生效</source>
      <translation>answer too late</translation>
    </message>
    <message>
      <source>答复被平台退回</source>
      <translation>answer refused by the platform</translation>
    </message>
    <message>
      <source>点名记录</source>
      <translation>roll-call record</translation>
    </message>
    <message>
      <source>今日到期</source>
      <translation>Due today</translation>
    </message>
    <message>
      <source>剩 {hours} 小时</source>
      <translation>{hours} h left</translation>
    </message>
    <message>
      <source>{status}（{decision}：{state}）</source>
      <translation>{status} ({decision}: {state})</translation>
    </message>
    <message>
      <source>平台收到答复时，这节课已是“{status}”</source>
      <translation>When the platform received the answer, this lesson was already "{status}"</translation>
    </message>
    <message>
      <source>平台拒绝了这条答复，可重新答复</source>
      <translation>The platform refused this answer; you may answer again</translation>
    </message>
    <message>
      <source>已自动确认</source>
      <translation>Auto-confirmed</translation>
    </message>
    <message>
      <source>消课金额</source>
      <translation>Consumed amount</translation>
    </message>
    <message>
      <source>确认截止</source>
      <translation>Confirm by</translation>
    </message>
    <message>
      <source>剩余时间</source>
      <translation>Time left</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>异议内容</source>
      <translation>Objection</translation>
    </message>
    <message>
      <source>{status}：{reason}</source>
      <translation>{status}: {reason}</translation>
    </message>
    <message>
      <source>课程名称</source>
      <translation>Course name</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>科目</source>
      <translation>Subject</translation>
    </message>
    <message>
      <source>形式</source>
      <translation>Delivery</translation>
    </message>
    <message>
      <source>课时包</source>
      <translation>Package</translation>
    </message>
    <message>
      <source>班级数</source>
      <translation>Classes</translation>
    </message>
    <message>
      <source>上架审核</source>
      <translation>Platform review</translation>
    </message>
    <message>
      <source>在读/容量</source>
      <translation>Enrolled/capacity</translation>
    </message>
    <message>
      <source>{units} 课时 {price}</source>
      <translation>{units} lessons {price}</translation>
    </message>
    <message>
      <source>上课次数</source>
      <translation>Lessons held</translation>
    </message>
    <message>
      <source>出勤率</source>
      <translation>Attendance rate</translation>
    </message>
    <message>
      <source>每节课消</source>
      <translation>Consumed per lesson</translation>
    </message>
    <message>
      <source>补课率</source>
      <translation>Make-up rate</translation>
    </message>
    <message>
      <source>平均评分</source>
      <translation>Average rating</translation>
    </message>
    <message>
      <source>评价数</source>
      <translation>Reviews</translation>
    </message>
    <message>
      <source>投诉</source>
      <translation>Complaints</translation>
    </message>
    <message>
      <source>消课争议</source>
      <translation>Disputes</translation>
    </message>
    <message>
      <source>退费笔数</source>
      <translation>Refunds</translation>
    </message>
    <message>
      <source>{sign}{points}个百分点</source>
      <translation>{sign}{points} pts</translation>
    </message>
    <message>
      <source>{sign}{amount} 元</source>
      <translation>{sign}¥{amount}</translation>
    </message>
    <message>
      <source>{metric}变化</source>
      <translation>{metric} change</translation>
    </message>
    <message>
      <source>合计</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>对比期：{value}</source>
      <translation>Compared period: {value}</translation>
    </message>
    <message>
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>老师</source>
      <translation>Teacher</translation>
    </message>
    <message>
      <source>已点名</source>
      <translation>Marked</translation>
    </message>
    <message>
      <source>{status}（欠课时）</source>
      <translation>{status} (owed)</translation>
    </message>
    <message>
      <source>先学后付</source>
      <translation>Pay after learning</translation>
    </message>
    <message>
      <source>欠课时：续费后结清</source>
      <translation>Owed: settle after renewal</translation>
    </message>
    <message>
      <source>合同已到期，不能再扣课时</source>
      <translation>Contract ended: no more lessons can be charged to it</translation>
    </message>
    <message>
      <source>课时不足，请续费</source>
      <translation>No lessons left, please renew</translation>
    </message>
    <message>
      <source>课时即将用完</source>
      <translation>Lessons running out</translation>
    </message>
    <message>
      <source>剩余课时</source>
      <translation>Lessons left</translation>
    </message>
    <message>
      <source>提醒</source>
      <translation>Reminder</translation>
    </message>
    <message>
      <source>清除</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>{name}（非本班）</source>
      <translation>{name} (not in class)</translation>
    </message>
    <message>
      <source>剩 {n} 个工作日</source>
      <translation>{n} working days left</translation>
    </message>
    <message>
      <source>今天到期</source>
      <translation>Due today</translation>
    </message>
    <message>
      <source>已逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>{status}（拒绝未生效）</source>
      <translation>{status} (refusal not taken)</translation>
    </message>
    <message>
      <source>{status}（拒绝被平台退回）</source>
      <translation>{status} (refusal rejected by the platform)</translation>
    </message>
    <message>
      <source>内容</source>
      <translation>Content</translation>
    </message>
    <message>
      <source>收到时间</source>
      <translation>Received</translation>
    </message>
    <message>
      <source>数据</source>
      <translation>Record</translation>
    </message>
    <message>
      <source>合同编号</source>
      <translation>Contract no.</translation>
    </message>
    <message>
      <source>申请金额</source>
      <translation>Amount requested</translation>
    </message>
    <message>
      <source>截止日期</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>{n} MB</source>
      <translation>{n} MB</translation>
    </message>
    <message>
      <source>剩 {hours} 小时 {minutes} 分</source>
      <translation>{hours} h {minutes} min left</translation>
    </message>
    <message>
      <source>教材</source>
      <translation>Textbook</translation>
    </message>
    <message>
      <source>讲义</source>
      <translation>Handout</translation>
    </message>
    <message>
      <source>课件</source>
      <translation>Slides</translation>
    </message>
    <message>
      <source>待报送</source>
      <translation>Not filed yet</translation>
    </message>
    <message>
      <source>文件待上传</source>
      <translation>File not uploaded yet</translation>
    </message>
    <message>
      <source>已报送</source>
      <translation>Filed</translation>
    </message>
    <message>
      <source>已按时答复</source>
      <translation>Answered in time</translation>
    </message>
    <message>
      <source>逾期答复</source>
      <translation>Answered late</translation>
    </message>
    <message>
      <source>平台已收到</source>
      <translation>Received by the platform</translation>
    </message>
    <message>
      <source>平台已收到（逾期）</source>
      <translation>Received by the platform (late)</translation>
    </message>
    <message>
      <source>平台未接受，请重新答复</source>
      <translation>Not accepted by the platform; answer again</translation>
    </message>
    <message>
      <source>{n} KB</source>
      <translation>{n} KB</translation>
    </message>
    <message>
      <source>已逾期 {hours} 小时</source>
      <translation>{hours} h overdue</translation>
    </message>
    <message>
      <source>版本</source>
      <translation>Version</translation>
    </message>
    <message>
      <source>大小</source>
      <translation>Size</translation>
    </message>
    <message>
      <source>报送平台</source>
      <translation>Filed to platform</translation>
    </message>
    <message>
      <source>提出时间</source>
      <translation>Requested</translation>
    </message>
    <message>
      <source>答复截止</source>
      <translation>Answer by</translation>
    </message>
    <message>
      <source>本机答复</source>
      <translation>Our answer</translation>
    </message>
    <message>
      <source>说明</source>
      <translation>Why</translation>
    </message>
    <message>
      <source>未答复</source>
      <translation>Not answered</translation>
    </message>
    <message>
      <source>{day} 已提醒</source>
      <translation>Reminded {day}</translation>
    </message>
    <message>
      <source>未提醒</source>
      <translation>Not reminded</translation>
    </message>
    <message>
      <source>家长</source>
      <translation>Parent</translation>
    </message>
    <message>
      <source>电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>欠费</source>
      <translation>Owed</translation>
    </message>
    <message>
      <source>未付节数</source>
      <translation>Unpaid lessons</translation>
    </message>
    <message>
      <source>最早未付的课</source>
      <translation>Oldest unpaid lesson</translation>
    </message>
    <message>
      <source>已欠天数</source>
      <translation>Days outstanding</translation>
    </message>
    <message>
      <source>上课日期</source>
      <translation>Lesson date</translation>
    </message>
    <message>
      <source>课费</source>
      <translation>Fee</translation>
    </message>
    <message>
      <source>已付</source>
      <translation>Paid</translation>
    </message>
    <message>
      <source>未付</source>
      <translation>Unpaid</translation>
    </message>
    <message>
      <source>{n} 天</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <source>准入查询结果以监管平台为准</source>
      <translation>The supervision platform's background-check result is authoritative</translation>
    </message>
    <message>
      <source>{subject} {no}</source>
      <translation>{subject} {no}</translation>
    </message>
    <message>
      <source>记录时间：{when}</source>
      <translation>Recorded: {when}</translation>
    </message>
    <message>
      <source>教师资格证</source>
      <translation>Teacher certificate</translation>
    </message>
    <message>
      <source>能力证明</source>
      <translation>Ability certificate</translation>
    </message>
    <message>
      <source>任教班级</source>
      <translation>Classes taught</translation>
    </message>
    <message>
      <source>消课课时</source>
      <translation>Lessons consumed</translation>
    </message>
    <message>
      <source>预收余额</source>
      <translation>Prepaid balance</translation>
    </message>
    <message>
      <source>先学后付课费</source>
      <translation>Pay-after lesson fees</translation>
    </message>
    <message>
      <source>先学后付收款</source>
      <translation>Pay-after payments</translation>
    </message>
    <message>
      <source>{kind}：{units} 课时、{amount}</source>
      <translation>{kind}: {units} lessons, {amount}</translation>
    </message>
    <message>
      <source>{status}，不扣课时</source>
      <translation>{status}, no lesson charged</translation>
    </message>
    <message>
      <source>停课中（{day} 起）</source>
      <translation>Paused (since {day})</translation>
    </message>
    <message>
      <source>购买 {units} 课时，收费 {amount}</source>
      <translation>Bought {units} lessons for {amount}</translation>
    </message>
    <message>
      <source>赠送 {units} 课时</source>
      <translation>{units} free lessons</translation>
    </message>
    <message>
      <source>{status}，点名已撤销，课时已退回</source>
      <translation>{status}, roll call undone, lesson given back</translation>
    </message>
    <message>
      <source>{status}，扣 {units} 课时、{amount}</source>
      <translation>{status}, {units} lessons charged, {amount}</translation>
    </message>
    <message>
      <source>上课</source>
      <translation>Lesson</translation>
    </message>
    <message>
      <source>关系</source>
      <translation>Relation</translation>
    </message>
    <message>
      <source>课时（含赠送）</source>
      <translation>Lessons (+ free)</translation>
    </message>
    <message>
      <source>合同金额</source>
      <translation>Contract amount</translation>
    </message>
    <message>
      <source>有效期</source>
      <translation>Valid</translation>
    </message>
    <message>
      <source>课时</source>
      <translation>Lessons</translation>
    </message>
    <message>
      <source>金额</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>经办人</source>
      <translation>By</translation>
    </message>
    <message>
      <source>已撤销</source>
      <translation>Undone</translation>
    </message>
    <message>
      <source>课程“{name}”审核通过，已上架</source>
      <translation>Course “{name}” approved and listed</translation>
    </message>
    <message>
      <source>课程“{name}”被平台驳回</source>
      <translation>Course “{name}” was rejected by the platform</translation>
    </message>
    <message>
      <source>{name} 的准入查询已提交，核验中</source>
      <translation>Background check of {name} submitted, in progress</translation>
    </message>
    <message>
      <source>{name} 通过准入查询，可以安排授课</source>
      <translation>{name} passed the background check and may teach</translation>
    </message>
    <message>
      <source>{name} 未通过准入查询，不能安排授课</source>
      <translation>{name} failed the background check and may not teach</translation>
    </message>
    <message>
      <source>{name} 的家长申请退费，请在截止日前答复</source>
      <translation>The parent of {name} asked for a refund; answer before the deadline</translation>
    </message>
    <message>
      <source>{name} 的家长对一次消课有异议</source>
      <translation>The parent of {name} disputes a charged lesson</translation>
    </message>
    <message>
      <source>平台拒绝了一项本机变更</source>
      <translation>The platform rejected a change made at this desk</translation>
    </message>
    <message>
      <source>一项本机变更与平台的数据冲突</source>
      <translation>A change made at this desk conflicts with the platform's data</translation>
    </message>
    <message>
      <source>课程审核</source>
      <translation>Course review</translation>
    </message>
    <message>
      <source>退费申请</source>
      <translation>Refund requests</translation>
    </message>
    <message>
      <source>消课异议</source>
      <translation>Consumption disputes</translation>
    </message>
    <message>
      <source>同步问题</source>
      <translation>Sync problems</translation>
    </message>
    <message>
      <source>{name} 有新的变化</source>
      <translation>{name} has changed</translation>
    </message>
    <message>
      <source>{sentence}：{detail}</source>
      <translation>{sentence}: {detail}</translation>
    </message>
    <message>
      <source>一位学员</source>
      <translation>a student</translation>
    </message>
    <message>
      <source>请稍候</source>
      <translation>Please wait</translation>
    </message>
    <message>
      <source>今日</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>排课</source>
      <translation>Schedule</translation>
    </message>
    <message>
      <source>平台</source>
      <translation>Platform</translation>
    </message>
    <message>
      <source>新建课程</source>
      <translation>New course</translation>
    </message>
    <message>
      <source>新课程</source>
      <translation>New course</translation>
    </message>
    <message>
      <source>提交上架审核</source>
      <translation>Submit for platform review</translation>
    </message>
    <message>
      <source>培训材料…</source>
      <translation>Training materials…</translation>
    </message>
    <message>
      <source>教材、讲义、课件：报送平台备查，平台抽查时据此答复</source>
      <translation>Textbooks, handouts, slides: filed to the platform and used to answer its spot checks</translation>
    </message>
    <message>
      <source>新增班级</source>
      <translation>New class</translation>
    </message>
    <message>
      <source>共 {n} 门课程</source>
      <translation>{n} courses</translation>
    </message>
    <message>
      <source>上架审核：{status}</source>
      <translation>Platform review: {status}</translation>
    </message>
    <message>
      <source>不对比</source>
      <translation>No comparison</translation>
    </message>
    <message>
      <source>对比上一期</source>
      <translation>Compare with the previous period</translation>
    </message>
    <message>
      <source>对比去年同期</source>
      <translation>Compare with a year before</translation>
    </message>
    <message>
      <source>对比自定义时段</source>
      <translation>Compare with dates…</translation>
    </message>
    <message>
      <source>评价期：{first} 至 {last}</source>
      <translation>Period: {first} to {last}</translation>
    </message>
    <message>
      <source>按教师</source>
      <translation>By teacher</translation>
    </message>
    <message>
      <source>按班级</source>
      <translation>By class</translation>
    </message>
    <message>
      <source>选择一行查看家长评语</source>
      <translation>Select a row to see the parents' comments</translation>
    </message>
    <message>
      <source>图表</source>
      <translation>Chart</translation>
    </message>
    <message>
      <source>对比期：{first} 至 {last}</source>
      <translation>Compared with: {first} to {last}</translation>
    </message>
    <message>
      <source>本期没有家长评语</source>
      <translation>No comments from parents in this period</translation>
    </message>
    <message>
      <source>正在导出…</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <source>已导出 {n} 行到 {file}</source>
      <translation>Exported {n} rows to {file}</translation>
    </message>
    <message>
      <source>撤销上次点名（{who}）？这些学员未扣课时，只清除考勤。</source>
      <translation>Undo the last roll call ({who})? Nothing was charged; only the marks are cleared.</translation>
    </message>
    <message>
      <source>撤销上次点名（{who}）？将退回 {units} 课时、{amount}。</source>
      <translation>Undo the last roll call ({who})? This gives back {units} lessons and {amount}.</translation>
    </message>
    <message>
      <source> 等 {n} 人</source>
      <translation> and others ({n})</translation>
    </message>
    <message>
      <source>请选择左侧的课次</source>
      <translation>Choose a lesson on the left</translation>
    </message>
    <message>
      <source>刷卡或输入卡号后按回车签到（扫码枪在本页任何位置都可使用）</source>
      <translation>Scan a card or type its code and press Enter (the scanner works anywhere on this page)</translation>
    </message>
    <message>
      <source>全部出勤</source>
      <translation>All present</translation>
    </message>
    <message>
      <source>保存点名</source>
      <translation>Save roll call</translation>
    </message>
    <message>
      <source>撤销上次点名</source>
      <translation>Undo last roll call</translation>
    </message>
    <message>
      <source>今日课程　{day}</source>
      <translation>Today's lessons  {day}</translation>
    </message>
    <message>
      <source>{time}　{klass}（{course}）</source>
      <translation>{time}  {klass} ({course})</translation>
    </message>
    <message>
      <source>撤销点名</source>
      <translation>Undo roll call</translation>
    </message>
    <message>
      <source>撤销</source>
      <translation>Undo</translation>
    </message>
    <message>
      <source>不撤销</source>
      <translation>Keep</translation>
    </message>
    <message>
      <source>已撤销 {n} 名学员的点名，课时已退回</source>
      <translation>Undid the roll call of {n} students; lessons given back</translation>
    </message>
    <message>
      <source>键盘点名：1 出勤　2 迟到　3 请假　4 缺勤　0/Del 清除　Ctrl+回车 保存</source>
      <translation>Keys: 1 present  2 late  3 leave  4 absent  0/Del clear  Ctrl+Enter save</translation>
    </message>
    <message>
      <source>{name} 剩余 {units} 课时</source>
      <translation>{name}: {units} lessons left</translation>
    </message>
    <message>
      <source>余额提醒：{list}</source>
      <translation>Low balance: {list}</translation>
    </message>
    <message>
      <source>已保存 {n} 名学员的考勤</source>
      <translation>Saved attendance of {n} students</translation>
    </message>
    <message>
      <source>已清除 {n} 名学员的考勤</source>
      <translation>Marks of {n} students cleared</translation>
    </message>
    <message>
      <source>{names} 课时不足，已记为欠课时</source>
      <translation>{names}: no lessons left, recorded as owed</translation>
    </message>
    <message>
      <source>{name} 已签到</source>
      <translation>{name} checked in</translation>
    </message>
    <message>
      <source>{name} 已签到过</source>
      <translation>{name} already checked in</translation>
    </message>
    <message>
      <source>{name} 不在本班</source>
      <translation>{name} is not in this class</translation>
    </message>
    <message>
      <source>{name} 课时不足</source>
      <translation>{name} has no lessons left</translation>
    </message>
    <message>
      <source>{name} 合同已到期</source>
      <translation>{name}: contract expired</translation>
    </message>
    <message>
      <source>{name} 课时不足，已签到并记为欠课时</source>
      <translation>{name}: no lessons left, checked in and recorded as owed</translation>
    </message>
    <message>
      <source>未知卡号</source>
      <translation>Unknown card</translation>
    </message>
    <message>
      <source>（剩余 {units} 课时，请提醒续费）</source>
      <translation> ({units} lessons left, remind to renew)</translation>
    </message>
    <message>
      <source>已结清 {n} 节</source>
      <translation>{n} owed lessons settled</translation>
    </message>
    <message>
      <source>欠课时</source>
      <translation>Owed lessons</translation>
    </message>
    <message>
      <source>结清全部（已续费的扣课时）</source>
      <translation>Settle all (charge those who renewed)</translation>
    </message>
    <message>
      <source>；仍未续费：{names}</source>
      <translation>; not renewed yet: {names}</translation>
    </message>
    <message>
      <source>最近刷卡</source>
      <translation>Last scans</translation>
    </message>
    <message>
      <source>欠课时（{n}）</source>
      <translation>Owed lessons ({n})</translation>
    </message>
    <message>
      <source>欠课时：无</source>
      <translation>Owed lessons: none</translation>
    </message>
    <message>
      <source>通知</source>
      <translation>Notices</translation>
    </message>
    <message>
      <source>待确认消课</source>
      <translation>Awaiting confirmation</translation>
    </message>
    <message>
      <source>评价</source>
      <translation>Reviews</translation>
    </message>
    <message>
      <source>没有未处理的通知。课程审核结果、员工准入查询结果、新的退费申请和同步问题会在这里提醒。</source>
      <translation>No open notices. Course review decisions, staff background-check results, new refund requests and sync problems are announced here.</translation>
    </message>
    <message>
      <source>没有待答复的退费申请。家长在平台上申请退费后，申请和答复截止日会列在这里。</source>
      <translation>No refund requests to answer. When a parent asks for a refund on the platform, the request and its deadline appear here.</translation>
    </message>
    <message>
      <source>没有未结的消课异议。家长对某次消课提出异议时会列在这里，并显示平台确认期限的剩余时间。</source>
      <translation>No open lesson disputes. When a parent disputes a charged lesson it is listed here with the time left in the platform's window.</translation>
    </message>
    <message>
      <source>没有待家长确认的消课。点名扣课同步到平台后，会在这里显示家长确认的剩余时间。</source>
      <translation>No charged lessons awaiting the parents. Once a roll call has synced, each charge is listed here with the time left for the parent to confirm.</translation>
    </message>
    <message>
      <source>没有待处理的投诉。家长通过平台提交的投诉会列在这里。</source>
      <translation>No open complaints. Complaints parents file on the platform appear here.</translation>
    </message>
    <message>
      <source>还没有新的评价。家长在平台上对课程的评价会列在这里。</source>
      <translation>No new reviews. Parents' reviews of courses on the platform appear here.</translation>
    </message>
    <message>
      <source>没有同步问题。平台拒绝或与平台冲突的本机变更会列在这里。</source>
      <translation>No sync problems. Changes the platform rejected or that conflict with it appear here.</translation>
    </message>
    <message>
      <source>已退费 {amount}（{units} 课时）</source>
      <translation>Refunded {amount} ({units} lessons)</translation>
    </message>
    <message>
      <source>同意并退费</source>
      <translation>Agree and refund</translation>
    </message>
    <message>
      <source>按合同剩余课时和实际单价退费，退费记录同步到平台</source>
      <translation>Refunds the lessons left at the contract's effective price; the refund syncs to the platform</translation>
    </message>
    <message>
      <source>拒绝…</source>
      <translation>Refuse…</translation>
    </message>
    <message>
      <source>写明理由拒绝退费申请，下次同步时发送给平台</source>
      <translation>Refuse the refund request with a reason; sent to the platform with the next sync</translation>
    </message>
    <message>
      <source>标记已处理</source>
      <translation>Mark handled</translation>
    </message>
    <message>
      <source>全部标记已处理</source>
      <translation>Mark all handled</translation>
    </message>
    <message>
      <source>用点名记录答复…</source>
      <translation>Answer with roll call…</translation>
    </message>
    <message>
      <source>把这节课的点名记录（点名人、时间、班级名单）发给家长</source>
      <translation>Send the parent this lesson's roll-call record (who called it, when, the class list)</translation>
    </message>
    <message>
      <source>撤销扣课…</source>
      <translation>Reverse charge…</translation>
    </message>
    <message>
      <source>课时和金额退回合同，平台不再划拨这节课的资金</source>
      <translation>Return the units and amount to the contract; the platform keeps this lesson's funds</translation>
    </message>
    <message>
      <source>标记已解决</source>
      <translation>Mark resolved</translation>
    </message>
    <message>
      <source>{title}（{n}）</source>
      <translation>{title} ({n})</translation>
    </message>
    <message>
      <source>收款…</source>
      <translation>Take payment…</translation>
    </message>
    <message>
      <source>付下方所选的课；不选则从最早未付的课付起</source>
      <translation>Pays the lessons selected below; with none selected, the oldest unpaid lessons first</translation>
    </message>
    <message>
      <source>复制催缴提醒</source>
      <translation>Copy reminder</translation>
    </message>
    <message>
      <source>把提醒文字复制到剪贴板（发微信或短信），并记下今天已提醒</source>
      <translation>Copies the reminder text to the clipboard (for WeChat or SMS) and records that the family was reminded today</translation>
    </message>
    <message>
      <source>打印刚才这笔收款的收据</source>
      <translation>Print the receipt of the payment just taken</translation>
    </message>
    <message>
      <source>{families} 户欠费，共 {lessons} 节课 {amount}</source>
      <translation>{families} families owe {amount} for {lessons} lessons</translation>
    </message>
    <message>
      <source>提醒已复制，可粘贴到微信或短信发给家长</source>
      <translation>Reminder copied: paste it into WeChat or an SMS to the parent</translation>
    </message>
    <message>
      <source>没有欠费的家庭</source>
      <translation>No family owes anything</translation>
    </message>
    <message>
      <source>本周 {n} 节课</source>
      <translation>{n} lessons this week</translation>
    </message>
    <message>
      <source>点击一节课可取消、调课或代课</source>
      <translation>Click a lesson to cancel it, move it or give it a substitute</translation>
    </message>
    <message>
      <source>取消此课…</source>
      <translation>Cancel lesson…</translation>
    </message>
    <message>
      <source>调课…</source>
      <translation>Move…</translation>
    </message>
    <message>
      <source>代课…</source>
      <translation>Substitute…</translation>
    </message>
    <message>
      <source>加课…</source>
      <translation>Add lesson…</translation>
    </message>
    <message>
      <source>全部教师和教室</source>
      <translation>All teachers and rooms</translation>
    </message>
    <message>
      <source>，其中 {bad} 节有冲突或违规（红色，悬停查看原因）</source>
      <translation>, {bad} with a conflict or violation (red; hover for the reason)</translation>
    </message>
    <message>
      <source>上一周</source>
      <translation>Previous week</translation>
    </message>
    <message>
      <source>本周</source>
      <translation>This week</translation>
    </message>
    <message>
      <source>下一周</source>
      <translation>Next week</translation>
    </message>
    <message>
      <source>显示</source>
      <translation>Show</translation>
    </message>
    <message>
      <source>教师：{name}</source>
      <translation>Teacher: {name}</translation>
    </message>
    <message>
      <source>教室：{name}</source>
      <translation>Room: {name}</translation>
    </message>
    <message>
      <source>（已取消）</source>
      <translation>(cancelled)</translation>
    </message>
    <message>
      <source>已选：{klass} {day} {start}–{end} {teacher}{state}</source>
      <translation>Selected: {klass} {day} {start}–{end} {teacher}{state}</translation>
    </message>
    <message>
      <source>班级“{klass}”：{warning}</source>
      <translation>Class “{klass}”: {warning}</translation>
    </message>
    <message>
      <source>编辑</source>
      <translation>Edit</translation>
    </message>
    <message>
      <source>提交准入查询</source>
      <translation>Submit background check</translation>
    </message>
    <message>
      <source>已向监管平台提交本人授权、身份证件和无犯罪记录证明后，标记为核验中</source>
      <translation>After submitting the person's consent, ID and certificate of no criminal record to the platform, mark the check as in progress</translation>
    </message>
    <message>
      <source>共 {n} 人</source>
      <translation>{n} people</translation>
    </message>
    <message>
      <source>⚠ {line}</source>
      <translation>⚠ {line}</translation>
    </message>
    <message>
      <source>Excel 工作簿 (*.xlsx);;CSV 文件（UTF-8）(*.csv)</source>
      <translation>Excel workbook (*.xlsx);;CSV file, UTF-8 (*.csv)</translation>
    </message>
    <message>
      <source>本月</source>
      <translation>This month</translation>
    </message>
    <message>
      <source>上月</source>
      <translation>Last month</translation>
    </message>
    <message>
      <source>本学期</source>
      <translation>This term</translation>
    </message>
    <message>
      <source>今年</source>
      <translation>This year</translation>
    </message>
    <message>
      <source>按课程</source>
      <translation>By course</translation>
    </message>
    <message>
      <source>按学员</source>
      <translation>By student</translation>
    </message>
    <message>
      <source>管理评价</source>
      <translation>Evaluation</translation>
    </message>
    <message>
      <source>自定义</source>
      <translation>Custom</translation>
    </message>
    <message>
      <source>选择月份…</source>
      <translation>Pick a month…</translation>
    </message>
    <message>
      <source>查询</source>
      <translation>Show</translation>
    </message>
    <message>
      <source>导出当前表…</source>
      <translation>Export this table…</translation>
    </message>
    <message>
      <source>导出全部统计…</source>
      <translation>Export all statistics…</translation>
    </message>
    <message>
      <source>导出当前表</source>
      <translation>Export this table</translation>
    </message>
    <message>
      <source>导出统计</source>
      <translation>Export statistics</translation>
    </message>
    <message>
      <source>统计区间</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>开始日期不能晚于结束日期</source>
      <translation>The start date cannot be after the end date</translation>
    </message>
    <message>
      <source>{first} 至 {last} 合计：上课 {lessons} 次，出勤率 {rate}，课消 {consumed}，收款 {paid}，退费 {refunded}</source>
      <translation>{first} to {last} total: {lessons} lessons held, attendance {rate}, consumption {consumed}, payments {paid}, refunds {refunded}</translation>
    </message>
    <message>
      <source>；先学后付课费 {fees}，已收 {received}（不计入课消和收款）</source>
      <translation>; pay-after lesson fees {fees}, received {received} (not in consumption or payments)</translation>
    </message>
    <message>
      <source>正在统计每月数据…</source>
      <translation>Computing the monthly figures…</translation>
    </message>
    <message>
      <source>请选择学员</source>
      <translation>Choose a student</translation>
    </message>
    <message>
      <source>新报名…</source>
      <translation>New enrollment…</translation>
    </message>
    <message>
      <source>先学后付报名…</source>
      <translation>Pay after learning…</translation>
    </message>
    <message>
      <source>编辑…</source>
      <translation>Edit…</translation>
    </message>
    <message>
      <source>退费…</source>
      <translation>Refund…</translation>
    </message>
    <message>
      <source>流水</source>
      <translation>Ledger</translation>
    </message>
    <message>
      <source>重印合同（副本）…</source>
      <translation>Reprint contract (copy)…</translation>
    </message>
    <message>
      <source>打印所选已签合同的副本（身份证号脱敏，每页标注合同编号和“副本”）</source>
      <translation>Print a copy of the selected signed contract (ID numbers masked, the contract number and "copy" on every page)</translation>
    </message>
    <message>
      <source>手机 {phone}</source>
      <translation>Mobile {phone}</translation>
    </message>
    <message>
      <source>卡号 {card}</source>
      <translation>Card {card}</translation>
    </message>
    <message>
      <source>转班…</source>
      <translation>Transfer…</translation>
    </message>
    <message>
      <source>停课…</source>
      <translation>Pause…</translation>
    </message>
    <message>
      <source>复课…</source>
      <translation>Resume…</translation>
    </message>
    <message>
      <source>搜索：姓名、拼音、首字母、手机尾号或卡号</source>
      <translation>Search: name, pinyin, initials, phone tail or card</translation>
    </message>
    <message>
      <source>新学员…</source>
      <translation>New student…</translation>
    </message>
    <message>
      <source>导入…</source>
      <translation>Import…</translation>
    </message>
    <message>
      <source>找到 {n} 名学员</source>
      <translation>{n} students found</translation>
    </message>
    <message>
      <source>共 {n} 名学员</source>
      <translation>{n} students</translation>
    </message>
    <message>
      <source>重印合同（副本）</source>
      <translation>Reprint contract (copy)</translation>
    </message>
    <message>
      <source>已点名 {marked}/{members}</source>
      <translation>Called {marked}/{members}</translation>
    </message>
    <message>
      <source>点名中 {marked}/{members}</source>
      <translation>Calling {marked}/{members}</translation>
    </message>
    <message>
      <source>剩余</source>
      <translation>Left</translation>
    </message>
    <message>
      <source>今日课程</source>
      <translation>Today's lessons</translation>
    </message>
    <message>
      <source>已到学员</source>
      <translation>Arrived</translation>
    </message>
    <message>
      <source>课时将用完</source>
      <translation>Running out</translation>
    </message>
    <message>
      <source>平台同步</source>
      <translation>Platform sync</translation>
    </message>
    <message>
      <source>先学后付欠费</source>
      <translation>Owed (pay after learning)</translation>
    </message>
    <message>
      <source>今日课程与点名</source>
      <translation>Today's lessons and roll call</translation>
    </message>
    <message>
      <source>今天没有课。排课后，当天的课会列在这里。</source>
      <translation>No lessons today. Once lessons are scheduled, the day's lessons are listed here.</translation>
    </message>
    <message>
      <source>今天上课的学员课时都充足。</source>
      <translation>Every student in today's lessons has enough lessons left.</translation>
    </message>
    <message>
      <source>待处理的退费申请</source>
      <translation>Refund requests to answer</translation>
    </message>
    <message>
      <source>没有待处理的退费申请。家长在平台上申请退费后会出现在这里。</source>
      <translation>No refund requests to answer. Requests parents make on the platform appear here.</translation>
    </message>
    <message>
      <source>今日到期的消课异议</source>
      <translation>Lesson disputes due today</translation>
    </message>
    <message>
      <source>今天没有到期的消课异议。家长的异议须在平台确认期限内答复，最后一天会列在这里。</source>
      <translation>No lesson disputes due today. A dispute must be answered within the platform's window; on its last day it is listed here.</translation>
    </message>
    <message>
      <source>查看欠费</source>
      <translation>See what is owed</translation>
    </message>
    <message>
      <source>去前台点名</source>
      <translation>Go to roll call</translation>
    </message>
    <message>
      <source>{year}年{month}月{day}日　{weekday}</source>
      <translation>{weekday} {year}-{month}-{day}</translation>
    </message>
    <message>
      <source>应到 {n} 人次</source>
      <translation>{n} expected</translation>
    </message>
    <message>
      <source>今天上课、课时即将用完的学员</source>
      <translation>students in today's lessons about to run out</translation>
    </message>
    <message>
      <source>未点名 {n} 节</source>
      <translation>{n} not called yet</translation>
    </message>
    <message>
      <source>都已点名</source>
      <translation>all called</translation>
    </message>
    <message>
      <source>{families} 户，{lessons} 节课未付</source>
      <translation>{families} families, {lessons} lessons unpaid</translation>
    </message>
    <message>
      <source>新增登录…</source>
      <translation>New login…</translation>
    </message>
    <message>
      <source>重设密码…</source>
      <translation>Reset password…</translation>
    </message>
    <message>
      <source>停用登录</source>
      <translation>Disable login</translation>
    </message>
    <message>
      <source>恢复登录</source>
      <translation>Enable login</translation>
    </message>
    <message>
      <source>已恢复 {name} 的登录</source>
      <translation>Login of {name} enabled</translation>
    </message>
    <message>
      <source>已停用 {name} 的登录</source>
      <translation>Login of {name} disabled</translation>
    </message>
    <message>
      <source>启用</source>
      <translation>Active</translation>
    </message>
    <message>
      <source>已停用</source>
      <translation>Disabled</translation>
    </message>
    <message>
      <source>全国默认校历（InstDesk 的保守估计）</source>
      <translation>National default calendar (InstDesk's conservative estimate)</translation>
    </message>
    <message>
      <source>当前校历：{name}</source>
      <translation>Calendar in force: {name}</translation>
    </message>
    <message>
      <source>寒暑假：{ranges}</source>
      <translation>School breaks: {ranges}</translation>
    </message>
    <message>
      <source>寒暑假日期请以当地教育局公布的校历为准。</source>
      <translation>Check the break dates against the school calendar of your local education bureau.</translation>
    </message>
    <message>
      <source>{start} 至 {end}</source>
      <translation>{start} to {end}</translation>
    </message>
    <message>
      <source>正在读取校历…</source>
      <translation>Reading the school calendar…</translation>
    </message>
    <message>
      <source>未设置</source>
      <translation>not set</translation>
    </message>
    <message>
      <source> 分钟</source>
      <translation> min</translation>
    </message>
    <message>
      <source> 课时</source>
      <translation> lessons</translation>
    </message>
    <message>
      <source>课时包价格（元）</source>
      <translation>Package price (yuan)</translation>
    </message>
    <message>
      <source>先学后付：不预收费用，每节课后按约定单价付费</source>
      <translation>Pay after learning: nothing prepaid, each lesson paid after it at the agreed price</translation>
    </message>
    <message>
      <source>请填写课程名称</source>
      <translation>Enter the course name</translation>
    </message>
    <message>
      <source>请填写科目</source>
      <translation>Enter the subject</translation>
    </message>
    <message>
      <source>授课形式</source>
      <translation>Delivery</translation>
    </message>
    <message>
      <source>面向学段</source>
      <translation>Target stage</translation>
    </message>
    <message>
      <source>每课时时长</source>
      <translation>Minutes per lesson</translation>
    </message>
    <message>
      <source>课时包价格</source>
      <translation>Package price</translation>
    </message>
    <message>
      <source>班型</source>
      <translation>Class format</translation>
    </message>
    <message>
      <source>缺勤规则</source>
      <translation>Absence rule</translation>
    </message>
    <message>
      <source>收费方式</source>
      <translation>Billing</translation>
    </message>
    <message>
      <source>请填写课时包价格</source>
      <translation>Enter the package price</translation>
    </message>
    <message>
      <source>元</source>
      <translation>yuan</translation>
    </message>
    <message>
      <source>本期</source>
      <translation>This period</translation>
    </message>
    <message>
      <source>对比期</source>
      <translation>Compared period</translation>
    </message>
    <message>
      <source>没有材料抽查。监管部门抽查某门课程的培训材料时，请求和答复截止时间会列在这里。</source>
      <translation>No spot checks. When the regulator asks for a course's training materials, the request and its deadline are listed here.</translation>
    </message>
    <message>
      <source>材料抽查</source>
      <translation>Material spot checks</translation>
    </message>
    <message>
      <source>答复材料抽查：{course}</source>
      <translation>Answer the spot check: {course}</translation>
    </message>
    <message>
      <source>答复截止：{deadline}（{left}）</source>
      <translation>Answer by {deadline} ({left})</translation>
    </message>
    <message>
      <source>{title}（{kind}，第{version}版）</source>
      <translation>{title} ({kind}, version {version})</translation>
    </message>
    <message>
      <source>该课程还没有培训材料：请先在“管理材料…”中添加，再答复抽查。</source>
      <translation>This course has no training materials yet: add them under “Manage materials…” first, then answer.</translation>
    </message>
    <message>
      <source>附言（可选）</source>
      <translation>Note (optional)</translation>
    </message>
    <message>
      <source>已答复抽查（{n} 份材料），将在下次同步时发送给平台</source>
      <translation>Spot check answered ({n} materials); it is sent to the platform with the next sync</translation>
    </message>
    <message>
      <source>答复抽查…</source>
      <translation>Answer…</translation>
    </message>
    <message>
      <source>以该课程已报送（或刚上传新版本）的培训材料答复，下次同步时发送</source>
      <translation>Answer with the course's filed materials (or a version just uploaded); sent with the next sync</translation>
    </message>
    <message>
      <source>管理材料…</source>
      <translation>Manage materials…</translation>
    </message>
    <message>
      <source>查看或上传该课程培训材料的新版本</source>
      <translation>See the course's materials or upload a new version</translation>
    </message>
    <message>
      <source>{first} 至 {last}</source>
      <translation>{first} to {last}</translation>
    </message>
    <message>
      <source>万元</source>
      <translation>10k yuan</translation>
    </message>
    <message>
      <source>{span} 每月金额（{unit}）</source>
      <translation>{span} amounts by month ({unit})</translation>
    </message>
    <message>
      <source>{span} 每月出勤率（%）</source>
      <translation>{span} attendance by month (%)</translation>
    </message>
    <message>
      <source>课消</source>
      <translation>Consumed</translation>
    </message>
    <message>
      <source>待上传 {n} 项</source>
      <translation>{n} to upload</translation>
    </message>
    <message>
      <source>上次同步：{when}</source>
      <translation>Last sync: {when}</translation>
    </message>
    <message>
      <source>未连接平台</source>
      <translation>No platform</translation>
    </message>
    <message>
      <source>从未</source>
      <translation>never</translation>
    </message>
    <message>
      <source>同步问题 {n} 项</source>
      <translation>{n} sync problems</translation>
    </message>
    <message>
      <source>正在同步…</source>
      <translation>Syncing…</translation>
    </message>
    <message>
      <source>立即同步</source>
      <translation>Sync now</translation>
    </message>
    <message>
      <source>在线</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>离线</source>
      <translation>Offline</translation>
    </message>
    <message>
      <source>查看</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>{klass}（{course}）</source>
      <translation>{klass} ({course})</translation>
    </message>
    <message>
      <source>⚠ {problem}</source>
      <translation>⚠ {problem}</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <source>{date}：学员{name}在{start}–{end}已有其他班级的课</source>
      <translation>{date}: student {name} already has another class at {start}–{end}</translation>
    </message>
    <message>
      <source>{date}：教室在{start}–{end}已被占用</source>
      <translation>{date}: the room is taken at {start}–{end}</translation>
    </message>
    <message>
      <source>{date}：教师{name}在{start}–{end}已有课</source>
      <translation>{date}: teacher {name} already teaches at {start}–{end}</translation>
    </message>
    <message>
      <source>{date}：本班在{start}–{end}已有课</source>
      <translation>{date}: this class already has a lesson at {start}–{end}</translation>
    </message>
    <message>
      <source>{entity_label}不存在或已删除</source>
      <translation>The {entity_label} does not exist or was deleted</translation>
    </message>
    <message>
      <source>{field}不能为空</source>
      <translation>{field} must not be empty</translation>
    </message>
    <message>
      <source>{field}不能以“{char}”开头（表格软件会把它当作公式执行）</source>
      <translation>{field} may not start with "{char}" (spreadsheet programs would run it as a formula)</translation>
    </message>
    <message>
      <source>{field}不能超过 {limit} 个字</source>
      <translation>{field} may have at most {limit} characters</translation>
    </message>
    <message>
      <source>{field}不能超过{max_length}个字符</source>
      <translation>{field} must not be longer than {max_length} characters</translation>
    </message>
    <message>
      <source>{field}含有控制字符</source>
      <translation>{field} contains control characters</translation>
    </message>
    <message>
      <source>{field}应为0–365之间的整数天数</source>
      <translation>{field} must be a whole number of days from 0 to 365</translation>
    </message>
    <message>
      <source>{field}必须大于零</source>
      <translation>{field} must be greater than zero</translation>
    </message>
    <message>
      <source>{field}必须是以分为单位的整数</source>
      <translation>{field} must be a whole number of fen</translation>
    </message>
    <message>
      <source>{field}的取值“{value}”无效，可选：{allowed}</source>
      <translation>“{value}” is not a valid {field}; choose from: {allowed}</translation>
    </message>
    <message>
      <source>{message}</source>
      <translation>{message}</translation>
    </message>
    <message>
      <source>{name} 不是文件</source>
      <translation>{name} is not a file</translation>
    </message>
    <message>
      <source>{name}是学龄前儿童（{age}岁），不得参加学科类（含外语）培训</source>
      <translation>{name} is a pre-school child (age {age}) and may not take academic-subject training (foreign languages included)</translation>
    </message>
    <message>
      <source>{name}是学龄前儿童（{age}岁），不得参加线上培训</source>
      <translation>{name} is a pre-school child (age {age}) and may not take online training</translation>
    </message>
    <message>
      <source>{name}的学段为学龄前，不得参加学科类（含外语）培训</source>
      <translation>{name} is registered as pre-school and may not take academic-subject training (foreign languages included)</translation>
    </message>
    <message>
      <source>{name}的学段为学龄前，不得参加线上培训</source>
      <translation>{name} is registered as pre-school and may not take online training</translation>
    </message>
    <message>
      <source>{path} 不是 InstDesk 数据库文件，未打开。请检查路径。</source>
      <translation>{path} is not an InstDesk database and was not opened. Check the path.</translation>
    </message>
    <message>
      <source>{path} 是一个文件夹，不是数据库文件。请指定数据库文件的路径。</source>
      <translation>{path} is a folder, not a database file. Give the path of the database file.</translation>
    </message>
    <message>
      <source>{path} 是一个空文件（0 字节），不是 InstDesk 数据库，未打开。如果它本应是数据库，请从备份恢复；否则请删除它或换一个路径。</source>
      <translation>{path} is an empty file (0 bytes), not an InstDesk database, and was not opened. If it should be your database, restore it from a backup; otherwise delete it or choose another path.</translation>
    </message>
    <message>
      <source>{valid_from}至{valid_to}之间没有符合条件的上课日期</source>
      <translation>There is no eligible lesson date between {valid_from} and {valid_to}</translation>
    </message>
    <message>
      <source>{valid_from}至{valid_to}之间的上课日期都是节假日或寒暑假，没有可排的课</source>
      <translation>Every lesson date from {valid_from} to {valid_to} is a holiday or school break: nothing to schedule</translation>
    </message>
    <message>
      <source>“{subject}”不属于学科类科目（道德与法治、语文、历史、地理、数学、外语、物理、化学、生物）</source>
      <translation>“{subject}” is not an academic subject (morality and law, Chinese, history, geography, mathematics, foreign languages, physics, chemistry, biology)</translation>
    </message>
    <message>
      <source>“{subject}”属于学科类科目，不能作为非学科类课程开设</source>
      <translation>“{subject}” is an academic subject and cannot be offered as a non-academic course</translation>
    </message>
    <message>
      <source>一对一课程的班级容量只能为1</source>
      <translation>A one-to-one class can only hold 1 student</translation>
    </message>
    <message>
      <source>一次收费不得超过{max_units}课时，本次为{units}课时</source>
      <translation>One charge may cover at most {max_units} lessons; this one covers {units}</translation>
    </message>
    <message>
      <source>一次收费不得超过{max_yuan}元，本次为{amount_yuan}元</source>
      <translation>One charge may not exceed {max_yuan} yuan; this one is {amount_yuan} yuan</translation>
    </message>
    <message>
      <source>一次收费的时间跨度不得超过{max_months}个月（最晚至{latest_end}），本次至{end_date}</source>
      <translation>One charge may span at most {max_months} months (until {latest_end} at the latest); this one runs until {end_date}</translation>
    </message>
    <message>
      <source>下课时间{end}必须晚于上课时间{start}</source>
      <translation>The end time {end} must be after the start time {start}</translation>
    </message>
    <message>
      <source>不得以充值、次卡等形式收取培训费用</source>
      <translation>Fees may not be taken as top-ups, lesson cards or similar</translation>
    </message>
    <message>
      <source>不得聘用中小学、幼儿园在职教师</source>
      <translation>Teachers serving at primary or secondary schools or kindergartens may not be employed</translation>
    </message>
    <message>
      <source>不得面向学龄前儿童开展学科类（含外语）培训</source>
      <translation>Academic training (including foreign languages) may not be offered to preschool children</translation>
    </message>
    <message>
      <source>不得面向学龄前儿童开展线上培训</source>
      <translation>Online training may not be offered to preschool children</translation>
    </message>
    <message>
      <source>不能停用当前登录的用户</source>
      <translation>You cannot deactivate the user who is signed in</translation>
    </message>
    <message>
      <source>不能停用最后一个启用的管理员</source>
      <translation>You cannot deactivate the last active manager</translation>
    </message>
    <message>
      <source>专职教学和教研人员{full_time}人，占全部从业人员{total}人的比例低于{min_pct}%</source>
      <translation>{full_time} full-time teaching and research staff are below {min_pct}% of all {total} staff</translation>
    </message>
    <message>
      <source>专职教师{teachers}人，不足学生人数{students}人的{min_pct}%</source>
      <translation>{teachers} full-time teachers are below {min_pct}% of {students} students</translation>
    </message>
    <message>
      <source>义务教育阶段学科类培训不得安排在{day_kind}（{date}）</source>
      <translation>Academic training for compulsory education may not be scheduled on a {day_kind} ({date})</translation>
    </message>
    <message>
      <source>义务教育阶段学科类培训不得安排在寒暑假（{date}）</source>
      <translation>Academic training for compulsory education may not be scheduled in the school holidays ({date})</translation>
    </message>
    <message>
      <source>付款约定最多 500 字</source>
      <translation>Payment terms are at most 500 characters</translation>
    </message>
    <message>
      <source>付款金额 {amount} 超过所选课次的欠费 {owed}</source>
      <translation>The payment of {amount} is more than the {owed} owed on the chosen lessons</translation>
    </message>
    <message>
      <source>付款金额必须大于零</source>
      <translation>The amount must be more than zero</translation>
    </message>
    <message>
      <source>代课教师与原教师相同</source>
      <translation>The substitute is the lesson's own teacher</translation>
    </message>
    <message>
      <source>其他人员不得安排授课</source>
      <translation>Other staff may not teach</translation>
    </message>
    <message>
      <source>冲正流水不能再冲正；如需恢复，请重新录入</source>
      <translation>A reversal cannot be reversed again; enter the entry anew instead</translation>
    </message>
    <message>
      <source>出生日期与身份证号码不一致：证件上为{expected}</source>
      <translation>The date of birth contradicts the ID number, which says {expected}</translation>
    </message>
    <message>
      <source>分摊份数必须是正整数：{parts}</source>
      <translation>The number of parts must be a positive whole number: {parts}</translation>
    </message>
    <message>
      <source>前台收款不能选择“平台”方式；平台付款由家长在平台完成后同步下来</source>
      <translation>The desk cannot take a 'platform' payment; platform payments are made by the parent on the platform and sync down</translation>
    </message>
    <message>
      <source>前台编号只能由1–8位大写字母或数字组成：{desk}</source>
      <translation>The desk code may only have 1–8 capital letters or digits: {desk}</translation>
    </message>
    <message>
      <source>加密后的副本与原数据库不一致（{table}），未替换原文件</source>
      <translation>The encrypted copy differs from the database ({table}); the original was not replaced</translation>
    </message>
    <message>
      <source>卡号“{card_code}”已被学员{name}使用</source>
      <translation>Card “{card_code}” is already used by student {name}</translation>
    </message>
    <message>
      <source>只支持 .xlsx 或 .csv 文件：{path}</source>
      <translation>Only .xlsx or .csv files are supported: {path}</translation>
    </message>
    <message>
      <source>只能转到同一课程的班级（该班级属于“{course}”）</source>
      <translation>Only a class of the same course is possible (this class belongs to “{course}”)</translation>
    </message>
    <message>
      <source>合同{contract_no}为先学后付合同，没有预收费用，不适用退费；有异议的课可冲正</source>
      <translation>Contract {contract_no} is pay after learning: nothing was prepaid, so refunds do not apply; a disputed lesson can be reversed</translation>
    </message>
    <message>
      <source>合同不属于该学员或该课程</source>
      <translation>The contract belongs to another student or course</translation>
    </message>
    <message>
      <source>合同已{status_label}，不能再更正流水</source>
      <translation>The contract is {status_label}; its ledger can no longer be corrected</translation>
    </message>
    <message>
      <source>合同已停课，请先复课</source>
      <translation>The contract is paused: resume it first</translation>
    </message>
    <message>
      <source>合同已没有剩余课时或金额</source>
      <translation>The contract has no lessons or money left</translation>
    </message>
    <message>
      <source>合同未停课</source>
      <translation>The contract is not paused</translation>
    </message>
    <message>
      <source>合同没有所在班级</source>
      <translation>The contract has no class</translation>
    </message>
    <message>
      <source>合同状态为“{status_label}”，不能办理</source>
      <translation>The contract is “{status_label}”: not possible</translation>
    </message>
    <message>
      <source>合同状态为“{status}”，不能退费</source>
      <translation>The contract is “{status}” and cannot be refunded</translation>
    </message>
    <message>
      <source>合同还缺少以下信息，不能打印正式合同：{missing}</source>
      <translation>The contract cannot be printed as final; still missing: {missing}</translation>
    </message>
    <message>
      <source>同步问题不存在或已处理</source>
      <translation>The sync problem does not exist or was already resolved</translation>
    </message>
    <message>
      <source>在合同约定的全额退费期限内，全额退还</source>
      <translation>Within the contract's full-refund period: refunded in full</translation>
    </message>
    <message>
      <source>培训时间不得与中小学校教学时间（{school_start}–{school_end}）重叠</source>
      <translation>Lessons may not overlap school hours ({school_start}–{school_end})</translation>
    </message>
    <message>
      <source>培训材料不能修改字段“{field}”</source>
      <translation>A training material's field “{field}” cannot be changed</translation>
    </message>
    <message>
      <source>备份文件 {path} 已加密，但系统密钥环中没有它的密钥</source>
      <translation>The backup {path} is encrypted, but its key is not in the system keyring</translation>
    </message>
    <message>
      <source>备份文件 {path} 已损坏（完整性检查未通过：{detail}）</source>
      <translation>The backup {path} is damaged (integrity check failed: {detail})</translation>
    </message>
    <message>
      <source>备份文件 {path} 无法读取：{detail}</source>
      <translation>The backup {path} cannot be read: {detail}</translation>
    </message>
    <message>
      <source>学员{name}不在本班级中</source>
      <translation>Student {name} is not in this class</translation>
    </message>
    <message>
      <source>学员{name}在本课程没有剩余课时，请先续费</source>
      <translation>Student {name} has no lessons left in this course; please renew first</translation>
    </message>
    <message>
      <source>学员{name}本节课的消课已计入已结束或已退费的合同，不能再修改</source>
      <translation>Student {name}'s lesson was charged to a closed or refunded contract and can no longer be changed</translation>
    </message>
    <message>
      <source>学员{name}没有可用的补课资格</source>
      <translation>Student {name} has no make-up lesson available</translation>
    </message>
    <message>
      <source>学员{name}的先学后付合同已于{end_date}到期，{lesson_date}的课不能再计费</source>
      <translation>{name}'s pay-after-learning contract ended on {end_date}; the lesson of {lesson_date} cannot be charged</translation>
    </message>
    <message>
      <source>学员{name}的合同已于{end_date}到期，{lesson_date}的课不能再从中扣课时（合同剩余{units}课时，请按合同约定办理退费或另签合同）</source>
      <translation>{name}'s contract ended on {end_date}; the lesson of {lesson_date} cannot be charged to it ({units} units left: refund them or sign a new contract as the contract provides)</translation>
    </message>
    <message>
      <source>学员{name}这节课的扣课已因消课异议撤销，不能再修改点名</source>
      <translation>The charge of {name} for this lesson was reversed after a lesson dispute; the roll call can no longer be changed</translation>
    </message>
    <message>
      <source>学员{name}这节课的课费已付款，不能撤销或冲正；请先办理该笔付款的退还</source>
      <translation>{name} has paid for this lesson: it cannot be undone or reversed until that payment is given back</translation>
    </message>
    <message>
      <source>学员不能修改字段“{field}”</source>
      <translation>The student's field “{field}” cannot be changed</translation>
    </message>
    <message>
      <source>学员已在该班级</source>
      <translation>The student is already in this class</translation>
    </message>
    <message>
      <source>学员已有该课程的先学后付合同（{contract_no}）</source>
      <translation>The student already has a pay-after-learning contract for this course ({contract_no})</translation>
    </message>
    <message>
      <source>学科类课程单价{price_fen}分超过政府指导价上限{max_fen}分（{tier}班型，含上浮{float_pct}%）</source>
      <translation>The academic course price of {price_fen} fen per lesson exceeds the government guide price of {max_fen} fen ({tier} class, {float_pct}% margin included)</translation>
    </message>
    <message>
      <source>学科类（{subject}）授课人员须持有相应学科的教师资格证</source>
      <translation>Teachers of academic subjects ({subject}) need a teacher's qualification in that subject</translation>
    </message>
    <message>
      <source>密码至少需要{min_length}个字符</source>
      <translation>The password needs at least {min_length} characters</translation>
    </message>
    <message>
      <source>对比时段需要同时给出开始和结束日期</source>
      <translation>A compared period needs both a start and an end date</translation>
    </message>
    <message>
      <source>导入失败：{count}处错误，未导入任何学员</source>
      <translation>Import failed: {count} errors; no student was imported</translation>
    </message>
    <message>
      <source>导出到 {path} 失败（{detail}），没有留下不完整的文件</source>
      <translation>Export to {path} failed ({detail}); no partial file was left</translation>
    </message>
    <message>
      <source>导出文件只支持 .xlsx 或 .csv：{path}</source>
      <translation>Exports can only be .xlsx or .csv: {path}</translation>
    </message>
    <message>
      <source>导出统计数据需要指定开始和结束日期</source>
      <translation>Exporting statistics needs a start and an end date</translation>
    </message>
    <message>
      <source>尚未初始化机构信息，请先运行 instdesk init</source>
      <translation>The institution is not set up yet; run instdesk init first</translation>
    </message>
    <message>
      <source>尚未登录监管平台或登录已失效,请运行 instdesk login 重新登录。</source>
      <translation>Not logged in to the supervision platform, or the login has expired; log in again</translation>
    </message>
    <message>
      <source>尚未设置监管平台地址,请先运行 instdesk login --server 地址 --uscc 代码。</source>
      <translation>No supervision platform address is set; log in with the server address and credit code first</translation>
    </message>
    <message>
      <source>已取消导入，未导入任何学员</source>
      <translation>Import cancelled; no student was imported</translation>
    </message>
    <message>
      <source>已存在用户，请由管理员登录后创建新用户</source>
      <translation>Users exist already; a manager must sign in to create new users</translation>
    </message>
    <message>
      <source>已无可退金额</source>
      <translation>Nothing left to refund</translation>
    </message>
    <message>
      <source>平台上该消课已是“{status_label}”，答复未生效</source>
      <translation>On the platform this lesson is already "{status_label}"; the answer did not take effect</translation>
    </message>
    <message>
      <source>平台上该记录的状态已是“{state}”,操作未执行。</source>
      <translation>On the platform this record is already “{state}”; nothing was done.</translation>
    </message>
    <message>
      <source>平台抽查请求 {request_id} 不存在</source>
      <translation>Spot check {request_id} does not exist</translation>
    </message>
    <message>
      <source>平台消息不存在或已处理</source>
      <translation>The platform item does not exist or was already handled</translation>
    </message>
    <message>
      <source>平台要求从第 {expected_seq} 号操作继续,正在重新编号后重发。</source>
      <translation>The platform expects operation {expected_seq} next; renumbering and sending again.</translation>
    </message>
    <message>
      <source>平台退费申请</source>
      <translation>Refund requested on the platform</translation>
    </message>
    <message>
      <source>平台退费申请{request_id}已处理</source>
      <translation>Platform refund request {request_id} has been handled</translation>
    </message>
    <message>
      <source>开课前申请退费，全额退还</source>
      <translation>Refund requested before the course starts: refunded in full</translation>
    </message>
    <message>
      <source>性别与身份证号码不一致：证件上为{expected_label}</source>
      <translation>The gender contradicts the ID number, which says {expected_label}</translation>
    </message>
    <message>
      <source>所选班级不属于该课程</source>
      <translation>The chosen class does not belong to this course</translation>
    </message>
    <message>
      <source>所选的课不是该学员待付的课：{entry_id}</source>
      <translation>A chosen lesson is not one this student owes: {entry_id}</translation>
    </message>
    <message>
      <source>手机号码不正确：应为11位中国大陆手机号</source>
      <translation>Invalid mobile number: expected an 11-digit mainland China mobile number</translation>
    </message>
    <message>
      <source>找不到学员“{text}”（可用学员 id 或卡号）</source>
      <translation>No student “{text}” (use a student id or card code)</translation>
    </message>
    <message>
      <source>抽查的课程 {course_id} 不在本机（请先同步）</source>
      <translation>The checked course {course_id} is not on this desk (sync first)</translation>
    </message>
    <message>
      <source>拒绝理由不能超过 {limit} 个字</source>
      <translation>The reason for refusing may have at most {limit} characters</translation>
    </message>
    <message>
      <source>按未消课时{units}课时 × 实际课时单价退费</source>
      <translation>Refund of {units} unused lessons × the actual price per lesson</translation>
    </message>
    <message>
      <source>排课未通过检查，共{count}个问题，第一个：{first}</source>
      <translation>The schedule failed its checks with {count} problems; the first: {first}</translation>
    </message>
    <message>
      <source>排课起止日期不正确：{valid_from}至{valid_to}（最长一年）</source>
      <translation>Invalid schedule dates: {valid_from} to {valid_to} (one year at most)</translation>
    </message>
    <message>
      <source>收费的课时数和金额必须大于零</source>
      <translation>The lessons and amount charged must be greater than zero</translation>
    </message>
    <message>
      <source>政策参数“{key}”的值无效：{value}</source>
      <translation>Invalid value of policy parameter “{key}”: {value}</translation>
    </message>
    <message>
      <source>教室{name}在{start}–{end}被重复占用（{other}）</source>
      <translation>Room {name} is double-booked at {start}–{end} ({other})</translation>
    </message>
    <message>
      <source>教室容量{room_capacity}人，小于班级容量{capacity}人</source>
      <translation>The room holds {room_capacity}, fewer than the class size of {capacity}</translation>
    </message>
    <message>
      <source>教室容量不能为负数：{capacity}</source>
      <translation>The room capacity cannot be negative: {capacity}</translation>
    </message>
    <message>
      <source>教师{name}在{start}–{end}同时有两节课（{other}）</source>
      <translation>Teacher {name} has two lessons at {start}–{end} ({other})</translation>
    </message>
    <message>
      <source>数据库 {path} 不存在</source>
      <translation>The database {path} does not exist</translation>
    </message>
    <message>
      <source>数据库 {path} 不存在，没有可备份的数据</source>
      <translation>The database {path} does not exist; there is nothing to back up</translation>
    </message>
    <message>
      <source>数据库 {path} 不存在，请先运行 instdesk init 或 instdesk demo</source>
      <translation>Database {path} does not exist; run instdesk init or instdesk demo first</translation>
    </message>
    <message>
      <source>数据库 {path} 已加密，但系统密钥环中没有它的密钥（换了电脑或用户，或密钥环被清空）。请在原来的电脑和用户下打开，或从未加密的备份恢复。</source>
      <translation>The database {path} is encrypted, but its key is not in the system keyring (another computer or user, or the keyring was cleared). Open it on the original computer and user, or restore an unencrypted backup.</translation>
    </message>
    <message>
      <source>数据库 {path} 已有机构数据，演示数据只能生成到新的数据库中</source>
      <translation>Database {path} already holds an institution; demo data can only go into a new database</translation>
    </message>
    <message>
      <source>数据库 {path} 已经加密</source>
      <translation>The database {path} is already encrypted</translation>
    </message>
    <message>
      <source>数据库 {path} 正被其他程序（InstDesk 或同步）使用，请先关闭后再恢复</source>
      <translation>The database {path} is in use by another program (InstDesk or sync); close it first</translation>
    </message>
    <message>
      <source>数据库 {path} 由更新版本的 InstDesk 创建（结构版本 {revision}），本程序无法打开。请升级 InstDesk 后再打开。</source>
      <translation>The database {path} was made by a newer InstDesk (schema {revision}) and cannot be opened by this one. Update InstDesk and open it again.</translation>
    </message>
    <message>
      <source>数据库 {path} 的密钥与系统密钥环中的密钥不符，无法打开。</source>
      <translation>The key in the system keyring does not match the database {path}; it cannot be opened.</translation>
    </message>
    <message>
      <source>数据库所在的文件夹 {folder} 不存在。请先创建该文件夹或换一个路径。</source>
      <translation>The folder {folder} does not exist. Create it first or choose another path.</translation>
    </message>
    <message>
      <source>数据库文件 {path} 为只读，无法保存。请检查文件及所在文件夹的写入权限。</source>
      <translation>The database file {path} is read-only; nothing was saved. Check the write permissions of the file and its folder.</translation>
    </message>
    <message>
      <source>数据库文件 {path} 已损坏。请关闭 InstDesk，用最近的备份替换该文件（instdesk restore 备份文件，或把备份复制为该文件）后重新打开。</source>
      <translation>The database file {path} is damaged. Close InstDesk, replace the file with your latest backup (instdesk restore BACKUP, or copy the backup over it) and open it again.</translation>
    </message>
    <message>
      <source>数据库文件 {path} 已损坏（完整性检查未通过），为免损失扩大已禁止写入。请关闭 InstDesk，用最近的备份替换该文件（instdesk restore 备份文件，或把备份复制为该文件）后重新打开。</source>
      <translation>The database file {path} is damaged (it failed its integrity check); writing is refused so the damage does not spread. Close InstDesk, replace the file with your latest backup (instdesk restore BACKUP, or copy the backup over it) and open it again.</translation>
    </message>
    <message>
      <source>数据库无法写入:{detail}</source>
      <translation>The database cannot be written: {detail}</translation>
    </message>
    <message>
      <source>数据库正被其他程序占用，请稍后重试。</source>
      <translation>The database is in use by another program; please try again shortly.</translation>
    </message>
    <message>
      <source>文件 {name} 是空文件（0 字节），不能作为培训材料</source>
      <translation>{name} is empty (0 bytes) and cannot be a training material</translation>
    </message>
    <message>
      <source>文件 {name} 有 {size_mb} MB，超过 {limit_mb} MB 的上限</source>
      <translation>{name} is {size_mb} MB, over the {limit_mb} MB limit</translation>
    </message>
    <message>
      <source>文件 {name} 的内容与其标识不符（应为 {expected}，实为 {actual}）</source>
      <translation>The content of {name} does not match its hash (expected {expected}, got {actual})</translation>
    </message>
    <message>
      <source>文件 {path} 不是 InstDesk 数据库</source>
      <translation>The file {path} is not an InstDesk database</translation>
    </message>
    <message>
      <source>文件中不同的文本超过 {limit} 项的上限（可能是被篡改的文件），未导入。请检查文件：{path}</source>
      <translation>The file holds more than {limit} distinct texts (it may have been tampered with); nothing was imported. Check the file: {path}</translation>
    </message>
    <message>
      <source>文件标识 {sha256} 无效</source>
      <translation>Invalid file hash {sha256}</translation>
    </message>
    <message>
      <source>文件解压后超过 {limit_mb} MB 的上限（可能是被篡改的文件），未导入。请检查文件：{path}</source>
      <translation>The file expands beyond the {limit_mb} MB limit (it may have been tampered with); nothing was imported. Check the file: {path}</translation>
    </message>
    <message>
      <source>文件超过 {limit} 行数据的上限，未导入。请把文件拆分成多个后分别导入：{path}</source>
      <translation>The file has more than {limit} data rows; nothing was imported. Split it and import the parts one by one: {path}</translation>
    </message>
    <message>
      <source>新版本的版本号不能与当前版本“{version_label}”相同</source>
      <translation>The new version must differ from the current version “{version_label}”</translation>
    </message>
    <message>
      <source>无效的考勤状态：{status}</source>
      <translation>Invalid attendance status: {status}</translation>
    </message>
    <message>
      <source>无法写入 {path}：文件或文件夹为只读或没有写入权限。请换一个位置导出</source>
      <translation>Cannot write {path}: the file or folder is read-only or not writable. Export somewhere else</translation>
    </message>
    <message>
      <source>无法写入备份到 {path}：{detail}</source>
      <translation>Cannot write the backup to {path}: {detail}</translation>
    </message>
    <message>
      <source>无法导出到 {path}：文件夹不存在</source>
      <translation>Cannot export to {path}: the folder does not exist</translation>
    </message>
    <message>
      <source>无法打开数据库文件 {path}：请检查文件夹是否存在以及读写权限。</source>
      <translation>Cannot open the database file {path}: check that the folder exists and that you may read and write it.</translation>
    </message>
    <message>
      <source>无法把文件写入材料文件夹 {path}：{detail}</source>
      <translation>Cannot write the file into the material folder {path}: {detail}</translation>
    </message>
    <message>
      <source>无法访问系统密钥环:{detail}</source>
      <translation>Cannot access the system keyring: {detail}</translation>
    </message>
    <message>
      <source>无法访问系统密钥环：{detail}</source>
      <translation>Cannot reach the system keyring: {detail}</translation>
    </message>
    <message>
      <source>无法读取文件 {name}：{detail}</source>
      <translation>Cannot read {name}: {detail}</translation>
    </message>
    <message>
      <source>无法读取文件 {path}：{detail}</source>
      <translation>Cannot read file {path}: {detail}</translation>
    </message>
    <message>
      <source>无法连接监管平台({detail})。数据已保存在本机,联网后会自动同步。</source>
      <translation>Cannot reach the supervision platform ({detail}). Your data is saved here and syncs when online.</translation>
    </message>
    <message>
      <source>日期格式不正确（应为 YYYY-MM-DD）：{text}</source>
      <translation>Invalid date (expected YYYY-MM-DD): {text}</translation>
    </message>
    <message>
      <source>日期格式不正确：{text}（例如 2026-03-01、2026/3/1 或 2026年3月1日）</source>
      <translation>Not a date: {text} (e.g. 2026-03-01, 2026/3/1 or 2026年3月1日)</translation>
    </message>
    <message>
      <source>时间格式不正确（应为 HH:MM）：{text}</source>
      <translation>Invalid time (expected HH:MM): {text}</translation>
    </message>
    <message>
      <source>星期须为0（周一）到6（周日）：{weekday}</source>
      <translation>The weekday must be 0 (Monday) to 6 (Sunday): {weekday}</translation>
    </message>
    <message>
      <source>更正后合同余额为负（剩余{units_left}课时、{fen_left}分），不能执行</source>
      <translation>After the correction the contract balance would be negative ({units_left} lessons, {fen_left} fen); not done</translation>
    </message>
    <message>
      <source>最早只能在开课前{months}个月（{earliest}）收费，本次收费日期为{charge_date}</source>
      <translation>Fees may be charged at most {months} months before the course starts ({earliest}); this charge is dated {charge_date}</translation>
    </message>
    <message>
      <source>未提供密码：请设置环境变量 {env} 或在提示时输入</source>
      <translation>No password given: set the environment variable {env} or type it when asked</translation>
    </message>
    <message>
      <source>未知的导出类型“{kind}”，可选：{kinds}</source>
      <translation>Unknown export type “{kind}”; choose from: {kinds}</translation>
    </message>
    <message>
      <source>本客户端(协议 {client})与监管平台(支持协议 {server_min}–{server_max})不兼容。请升级 InstDesk 后再同步。</source>
      <translation>This client (protocol {client}) is incompatible with the platform (protocols {server_min}–{server_max}). Please upgrade InstDesk before syncing.</translation>
    </message>
    <message>
      <source>本机同步进度已超过平台保留期限,需要重新下载全部数据(本机未同步的修改会保留)。</source>
      <translation>This desk's sync position is older than the platform keeps; all data will be downloaded again (unsynced local changes are kept).</translation>
    </message>
    <message>
      <source>本机尚未设置前台编号,请先运行 instdesk init。</source>
      <translation>This computer has no desk code yet; run instdesk init first.</translation>
    </message>
    <message>
      <source>本机数据库属于统一社会信用代码 {current} 的机构,不能登录到 {wanted}。请使用新的数据库。</source>
      <translation>This database belongs to the institution with credit code {current} and cannot log in as {wanted}. Please use a new database.</translation>
    </message>
    <message>
      <source>本机没有可用的系统密钥环,无法安全保存登录凭据(不会以明文保存)。Linux 请安装并启用 gnome-keyring 或 KWallet(Secret Service),例如 sudo apt install gnome-keyring 后重新登录桌面;Windows 与 macOS 已自带。当前后端:{backend}</source>
      <translation>No system keyring is available to keep the login safely (it is never stored in plain text). On Linux install and enable gnome-keyring or KWallet (Secret Service), e.g. sudo apt install gnome-keyring, then log in to the desktop again; Windows and macOS have one built in. Current backend: {backend}</translation>
    </message>
    <message>
      <source>本机没有这节课的扣课记录，无法核对或撤销</source>
      <translation>This desk has no charge for this lesson to show or reverse</translation>
    </message>
    <message>
      <source>本机还没有机构：请先创建机构（instdesk init）或登录平台下载（instdesk login）</source>
      <translation>This desk has no institution yet: create one (instdesk init) or download it from the platform (instdesk login)</translation>
    </message>
    <message>
      <source>机构信息已初始化，不能重复初始化</source>
      <translation>The institution is already set up</translation>
    </message>
    <message>
      <source>机构的办学许可范围不包含{category_label}课程</source>
      <translation>The institution's licence does not cover {category_label} courses</translation>
    </message>
    <message>
      <source>机构的办学许可范围不包含{delivery_label}课程</source>
      <translation>The institution's licence does not cover {delivery_label} courses</translation>
    </message>
    <message>
      <source>权限不足:{role_label}不能执行“{permission_label}”</source>
      <translation>Not allowed: {role_label} may not {permission_label}</translation>
    </message>
    <message>
      <source>材料 {material_id} 不是被抽查课程的材料</source>
      <translation>Material {material_id} is not a material of the checked course</translation>
    </message>
    <message>
      <source>材料文件 {sha256} 不在本机的材料文件夹中</source>
      <translation>Material file {sha256} is not in this desk's material folder</translation>
    </message>
    <message>
      <source>此命令需要以本机用户身份执行：请加上 --user 用户名（密码取自环境变量 INSTDESK_PASSWORD 或提示输入）</source>
      <translation>This command runs as a local user: add --user NAME (the password comes from INSTDESK_PASSWORD or a prompt)</translation>
    </message>
    <message>
      <source>每课时时长必须为正数（分钟）：{minutes}</source>
      <translation>The lesson length must be a positive number of minutes: {minutes}</translation>
    </message>
    <message>
      <source>比例不正确：{numerator}/{denominator}</source>
      <translation>Invalid ratio: {numerator}/{denominator}</translation>
    </message>
    <message>
      <source>没有可用的系统密钥环（{backend}），无法保存数据库密钥，数据库不能加密。请在装有 GNOME Keyring/KWallet（Linux）或系统自带钥匙串的桌面环境中运行。</source>
      <translation>No usable system keyring ({backend}): the database key cannot be kept, so the database cannot be encrypted. Run it in a desktop session with GNOME Keyring/KWallet (Linux) or the system's own keychain.</translation>
    </message>
    <message>
      <source>没有这张统计表：{table}</source>
      <translation>No such statistics table: {table}</translation>
    </message>
    <message>
      <source>消课异议：撤销{lesson_date}{course}的扣课</source>
      <translation>Lesson dispute: charge of {lesson_date} {course} reversed</translation>
    </message>
    <message>
      <source>消课确认不存在或已撤回</source>
      <translation>The lesson confirmation does not exist or was withdrawn</translation>
    </message>
    <message>
      <source>点名格式应为 学员=状态（状态：present/late/leave/absent 或 出勤/迟到/请假/缺勤）：{text}</source>
      <translation>A roll-call mark is student=status (present/late/leave/absent or 出勤/迟到/请假/缺勤): {text}</translation>
    </message>
    <message>
      <source>班级 {klass_id} 不属于该课程或已删除</source>
      <translation>Class {klass_id} is not a class of this course, or was deleted</translation>
    </message>
    <message>
      <source>班级{name}在{start}–{end}有两节课重叠（{other}）</source>
      <translation>Class {name} has two overlapping lessons at {start}–{end} ({other})</translation>
    </message>
    <message>
      <source>班级人数必须为正整数：{capacity}</source>
      <translation>The class size must be a positive whole number: {capacity}</translation>
    </message>
    <message>
      <source>班级容量须为正整数，最低开班人数须在0到容量之间（容量{capacity}，最低{min_size}）</source>
      <translation>The class capacity must be a positive whole number and the minimum size between 0 and it (capacity {capacity}, minimum {min_size})</translation>
    </message>
    <message>
      <source>班级已满（容量{capacity}人）</source>
      <translation>The class is full (capacity {capacity})</translation>
    </message>
    <message>
      <source>用户名“{username}”已存在</source>
      <translation>The user name “{username}” already exists</translation>
    </message>
    <message>
      <source>用户名只能包含字母、数字、下划线、点和横线（1–50个字符）</source>
      <translation>User names may only contain letters, digits, underscores, dots and dashes (1–50 characters)</translation>
    </message>
    <message>
      <source>用户名或密码错误</source>
      <translation>Wrong user name or password</translation>
    </message>
    <message>
      <source>登录失败次数过多,请 {retry_after_s:.0f} 秒后再试。</source>
      <translation>Too many failed logins; try again in {retry_after_s:.0f} seconds.</translation>
    </message>
    <message>
      <source>监管平台丢失了已确认的数据(平台期望第 {expected_seq} 号操作,本机已确认到第 {acknowledged} 号),正在重新上传本机数据。</source>
      <translation>The platform lost data it had acknowledged (it expects operation {expected_seq}, this desk had operation {acknowledged} acknowledged); uploading this desk's data again.</translation>
    </message>
    <message>
      <source>监管平台拒绝了请求({error}):{detail}</source>
      <translation>The supervision platform refused the request ({error}): {detail}</translation>
    </message>
    <message>
      <source>监管平台暂时不可用(HTTP {status}),稍后会自动重试。</source>
      <translation>The supervision platform is unavailable (HTTP {status}); retrying later.</translation>
    </message>
    <message>
      <source>监管平台的应答不完整或格式错误({detail}),本次同步未写入任何数据,稍后会重试。</source>
      <translation>The platform's answer was incomplete or malformed ({detail}); nothing was stored, retrying later.</translation>
    </message>
    <message>
      <source>确认期限已于{deadline}结束（{outcome_label}），不能再答复</source>
      <translation>The confirmation window ended on {deadline} ({outcome_label}); it can no longer be answered</translation>
    </message>
    <message>
      <source>磁盘空间已满，导出未完成，没有留下不完整的文件。请清理磁盘空间后重新导出：{path}</source>
      <translation>The disk is full; the export did not finish and no partial file was left. Free some space and export again: {path}</translation>
    </message>
    <message>
      <source>磁盘空间已满，数据未保存。请清理磁盘空间后重试。</source>
      <translation>The disk is full and the data was not saved. Free some disk space and try again.</translation>
    </message>
    <message>
      <source>第{row}行有 {cells} 个非空单元格超出表头的 {columns} 列（第{first}列起），可能是错位的数据，未导入。请删除多余的单元格或补上表头</source>
      <translation>Row {row} has {cells} non-empty cells beyond the header's {columns} columns (from column {first}), probably shifted data; nothing was imported. Remove the extra cells or add their headers</translation>
    </message>
    <message>
      <source>管理评价只能按教师或按班级：{by}</source>
      <translation>The evaluation is by teacher or by class, not: {by}</translation>
    </message>
    <message>
      <source>线上培训每课时不得超过{max_minutes}分钟，本节课{minutes}分钟</source>
      <translation>An online lesson may last at most {max_minutes} minutes; this one lasts {minutes}</translation>
    </message>
    <message>
      <source>线上培训结束时间不得晚于{latest}，本节课{end}结束</source>
      <translation>Online training must end by {latest}; this lesson ends at {end}</translation>
    </message>
    <message>
      <source>线上培训课程间隔不得少于{min_gap}分钟（{date} {previous_end}至{next_start}）</source>
      <translation>Online lessons need at least {min_gap} minutes between them ({date} {previous_end} to {next_start})</translation>
    </message>
    <message>
      <source>线上课程每课时不得超过{max_minutes}分钟，当前为{minutes}分钟</source>
      <translation>An online course lesson may last at most {max_minutes} minutes; now {minutes}</translation>
    </message>
    <message>
      <source>线下培训结束时间不得晚于{latest}，本节课{end}结束</source>
      <translation>Offline training must end by {latest}; this lesson ends at {end}</translation>
    </message>
    <message>
      <source>结束日期不能早于开始日期</source>
      <translation>The end date cannot be before the start date</translation>
    </message>
    <message>
      <source>统一社会信用代码应为18位，当前为{length}位</source>
      <translation>The unified social credit code must have 18 characters, not {length}</translation>
    </message>
    <message>
      <source>统一社会信用代码或密码错误。</source>
      <translation>Wrong unified social credit code or password.</translation>
    </message>
    <message>
      <source>统一社会信用代码校验位错误：应为“{expected}”，实际为“{actual}”</source>
      <translation>Wrong check character of the unified social credit code: expected “{expected}”, got “{actual}”</translation>
    </message>
    <message>
      <source>统一社会信用代码第{position}位含有无效字符“{char}”</source>
      <translation>Character {position} of the unified social credit code is invalid: “{char}”</translation>
    </message>
    <message>
      <source>统计区间不正确：开始日期{date_from}晚于结束日期{date_to}</source>
      <translation>Invalid period: the start {date_from} is after the end {date_to}</translation>
    </message>
    <message>
      <source>联系电话不正确：应为手机号或带区号的固定电话（如 0591-87654321）</source>
      <translation>Contact phone is not valid: use a mobile number or a landline with its area code (e.g. 0591-87654321)</translation>
    </message>
    <message>
      <source>评价区间不正确：开始日期{date_from}晚于结束日期{date_to}</source>
      <translation>Wrong period: the start {date_from} is after the end {date_to}</translation>
    </message>
    <message>
      <source>该人员准入查询未通过，不得聘用</source>
      <translation>This person failed the pre-hire check and may not be employed</translation>
    </message>
    <message>
      <source>该人员尚未通过准入查询（当前状态：{status}），不得安排授课</source>
      <translation>This person has not passed the pre-hire check (now: {status}) and may not teach</translation>
    </message>
    <message>
      <source>该合同已没有可退的课时或金额</source>
      <translation>This contract has no lessons or money left to refund</translation>
    </message>
    <message>
      <source>该合同已退费，不能重复退费</source>
      <translation>This contract has been refunded already</translation>
    </message>
    <message>
      <source>该学员不在此班级中</source>
      <translation>The student is not in this class</translation>
    </message>
    <message>
      <source>该学员已在班级中</source>
      <translation>The student is already in this class</translation>
    </message>
    <message>
      <source>该学员没有待付的先学后付课费</source>
      <translation>This student owes no pay-after-learning fees</translation>
    </message>
    <message>
      <source>该平台消息不是退费申请</source>
      <translation>This platform item is not a refund request</translation>
    </message>
    <message>
      <source>该异议已答复（{state_label}），不能重复答复</source>
      <translation>This dispute has already been answered ({state_label})</translation>
    </message>
    <message>
      <source>该抽查请求已是“{status_label}”，不需要再答复</source>
      <translation>This spot check is already “{status_label}”; no answer is needed</translation>
    </message>
    <message>
      <source>该抽查请求已答复（{state_label}），不能重复答复</source>
      <translation>This spot check was already answered ({state_label})</translation>
    </message>
    <message>
      <source>该流水已被冲正过，不能重复冲正</source>
      <translation>This entry has been reversed already</translation>
    </message>
    <message>
      <source>该班级已于{end}结课</source>
      <translation>This class ended on {end}</translation>
    </message>
    <message>
      <source>该班级还有在读学员，不能删除</source>
      <translation>The class still has students and cannot be deleted</translation>
    </message>
    <message>
      <source>该用户已停用，请联系管理员</source>
      <translation>This user is deactivated; please contact a manager</translation>
    </message>
    <message>
      <source>该科目剩余{remaining}课时，剩余不超过{max_remaining}课时时才能续费</source>
      <translation>{remaining} lessons are left in this subject; renewal is possible only when at most {max_remaining} remain</translation>
    </message>
    <message>
      <source>该课不是待付的先学后付课</source>
      <translation>This lesson is not an owed pay-after-learning lesson</translation>
    </message>
    <message>
      <source>该课次已取消，不能更换教师</source>
      <translation>The lesson is cancelled: its teacher cannot be changed</translation>
    </message>
    <message>
      <source>该课次已取消，不能点名</source>
      <translation>This lesson is cancelled and cannot be called</translation>
    </message>
    <message>
      <source>该课次已点名或已取消，不能调课</source>
      <translation>The lesson has marks or is cancelled: it cannot be moved</translation>
    </message>
    <message>
      <source>该课次已点名消课，请先撤销点名再取消</source>
      <translation>This lesson has a roll call; undo it before cancelling</translation>
    </message>
    <message>
      <source>该课次状态为“{status}”，不能取消</source>
      <translation>This lesson is “{status}” and cannot be cancelled</translation>
    </message>
    <message>
      <source>该课没有家长的异议，不能按异议冲正</source>
      <translation>The parent has not disputed this lesson: it cannot be reversed as a dispute</translation>
    </message>
    <message>
      <source>该课程下还有班级，不能删除</source>
      <translation>The course still has classes and cannot be deleted</translation>
    </message>
    <message>
      <source>该课程为先学后付课程，不预收费用</source>
      <translation>This is a pay-after-learning course; no fees are taken in advance</translation>
    </message>
    <message>
      <source>该课程还没有培训材料，请先添加材料再答复抽查</source>
      <translation>This course has no training materials yet: add some before answering</translation>
    </message>
    <message>
      <source>该退费申请在平台上已是“{status_label}”，拒绝未生效</source>
      <translation>On the platform this refund request is already “{status}”; the refusal did not take effect</translation>
    </message>
    <message>
      <source>该退费申请已办理退费，不能再拒绝</source>
      <translation>This refund request has already been refunded and cannot be refused</translation>
    </message>
    <message>
      <source>该退费申请已拒绝（{state_label}），不能重复处理</source>
      <translation>This refund request has already been refused ({state}); it cannot be answered again</translation>
    </message>
    <message>
      <source>该退费申请的状态为“{status_label}”，不能再拒绝</source>
      <translation>This refund request is “{status}” and can no longer be refused</translation>
    </message>
    <message>
      <source>该退费申请的状态为“{status}”，无需退费</source>
      <translation>The refund request is “{status}”: there is nothing to refund</translation>
    </message>
    <message>
      <source>说明不能超过 {limit} 个字</source>
      <translation>The note may not exceed {limit} characters</translation>
    </message>
    <message>
      <source>请填写冲正原因</source>
      <translation>Please give the reason for the reversal</translation>
    </message>
    <message>
      <source>请填写取消原因</source>
      <translation>Please give the reason for the cancellation</translation>
    </message>
    <message>
      <source>请填写拒绝退费的理由（家长会在平台上看到）</source>
      <translation>Enter the reason for refusing the refund (the parent sees it on the platform)</translation>
    </message>
    <message>
      <source>请填写新版本的版本号</source>
      <translation>Enter the new version</translation>
    </message>
    <message>
      <source>请填写更正原因</source>
      <translation>Please give the reason for the correction</translation>
    </message>
    <message>
      <source>请填写退费原因</source>
      <translation>Enter the refund reason</translation>
    </message>
    <message>
      <source>课时单价不能为负数</source>
      <translation>The price per lesson cannot be negative</translation>
    </message>
    <message>
      <source>课时数不正确：{text}</source>
      <translation>Invalid number of lessons: {text}</translation>
    </message>
    <message>
      <source>课时数不能为负数：{field}={value}</source>
      <translation>Lessons cannot be negative: {field}={value}</translation>
    </message>
    <message>
      <source>课时数必须是非负数，最多两位小数：{value}</source>
      <translation>Lessons must be non-negative with at most two decimals: {value}</translation>
    </message>
    <message>
      <source>课时数最多两位小数：{value}</source>
      <translation>Lessons may have at most two decimals: {value}</translation>
    </message>
    <message>
      <source>课程“{course}”不是先学后付课程，请按预收费报名</source>
      <translation>Course '{course}' is not pay after learning: enrol with prepayment</translation>
    </message>
    <message>
      <source>课程不能修改字段“{field}”</source>
      <translation>The course's field “{field}” cannot be changed</translation>
    </message>
    <message>
      <source>课程当前状态为“{status}”，只有草稿或被驳回的课程可以提交上架审核</source>
      <translation>The course is “{status}”; only draft or rejected courses can be submitted for review</translation>
    </message>
    <message>
      <source>课程每次课时数和课时包课时数必须大于零</source>
      <translation>Lessons per session and per package must be greater than zero</translation>
    </message>
    <message>
      <source>课程结束日期{end_date}早于开始日期{start_date}</source>
      <translation>The course end date {end_date} is before its start date {start_date}</translation>
    </message>
    <message>
      <source>调整的课时数和金额不能同时为零</source>
      <translation>An adjustment needs lessons or an amount</translation>
    </message>
    <message>
      <source>身份证号码中的出生日期无效：{birth}</source>
      <translation>Invalid birth date in the ID number: {birth}</translation>
    </message>
    <message>
      <source>身份证号码为{masked}的学员已存在（{name}）</source>
      <translation>A student with ID number {masked} exists already ({name})</translation>
    </message>
    <message>
      <source>身份证号码应为18位，当前为{length}位</source>
      <translation>The ID number must have 18 characters, not {length}</translation>
    </message>
    <message>
      <source>身份证号码校验位错误：应为“{expected}”，实际为“{actual}”</source>
      <translation>Wrong check digit of the ID number: expected “{expected}”, got “{actual}”</translation>
    </message>
    <message>
      <source>身份证号码格式不正确：前17位应为数字，最后一位为数字或X</source>
      <translation>Invalid ID number: 17 digits followed by a digit or X</translation>
    </message>
    <message>
      <source>这节课所在的合同已结束或已退费，不能撤销扣课</source>
      <translation>The lesson's contract is closed or refunded; the charge cannot be reversed</translation>
    </message>
    <message>
      <source>这节课的扣课已撤销过，不能重复撤销</source>
      <translation>This lesson's charge has already been reversed</translation>
    </message>
    <message>
      <source>这节课的消课没有异议（状态为“{status_label}”），无需答复</source>
      <translation>This lesson is not disputed (it is "{status_label}"); there is nothing to answer</translation>
    </message>
    <message>
      <source>这节课的消课状态为“{status_label}”，不能撤销扣课</source>
      <translation>This lesson is "{status_label}"; its charge cannot be reversed</translation>
    </message>
    <message>
      <source>连接监管平台超时,稍后会自动重试。</source>
      <translation>The supervision platform timed out; retrying later.</translation>
    </message>
    <message>
      <source>退费流水不能冲正</source>
      <translation>A refund entry cannot be reversed</translation>
    </message>
    <message>
      <source>退费结清</source>
      <translation>Refund settled</translation>
    </message>
    <message>
      <source>金额不能为负数：{text}</source>
      <translation>The amount cannot be negative: {text}</translation>
    </message>
    <message>
      <source>金额最多保留两位小数（精确到分）：{text}</source>
      <translation>Amounts have at most two decimals (whole fen): {text}</translation>
    </message>
    <message>
      <source>金额格式不正确：{text}</source>
      <translation>Invalid amount: {text}</translation>
    </message>
    <message>
      <source>金额过大：{text}</source>
      <translation>The amount is too large: {text}</translation>
    </message>
    <message>
      <source>非学科类授课人员须持有相应的职业（专业）能力证明</source>
      <translation>Teachers of non-academic courses need a matching vocational (professional) certificate</translation>
    </message>
  </context>
  <context>
    <name>labels</name>
    <message>
      <source>冲正流水</source>
      <translation>correct the ledger</translation>
    </message>
    <message>
      <source>前台</source>
      <translation>Front desk</translation>
    </message>
    <message>
      <source>合同</source>
      <translation>contract</translation>
    </message>
    <message>
      <source>同步</source>
      <translation>sync</translation>
    </message>
    <message>
      <source>员工</source>
      <translation>staff</translation>
    </message>
    <message>
      <source>培训材料</source>
      <translation>training material</translation>
    </message>
    <message>
      <source>学员</source>
      <translation>student</translation>
    </message>
    <message>
      <source>导入数据</source>
      <translation>import data</translation>
    </message>
    <message>
      <source>导出数据</source>
      <translation>export data</translation>
    </message>
    <message>
      <source>报名签约</source>
      <translation>enroll</translation>
    </message>
    <message>
      <source>排课</source>
      <translation>schedule lessons</translation>
    </message>
    <message>
      <source>排课规则</source>
      <translation>schedule rule</translation>
    </message>
    <message>
      <source>收费</source>
      <translation>take payments</translation>
    </message>
    <message>
      <source>教室</source>
      <translation>room</translation>
    </message>
    <message>
      <source>机构设置</source>
      <translation>institution settings</translation>
    </message>
    <message>
      <source>查看学员</source>
      <translation>view students</translation>
    </message>
    <message>
      <source>查看统计</source>
      <translation>view statistics</translation>
    </message>
    <message>
      <source>校区</source>
      <translation>campus</translation>
    </message>
    <message>
      <source>流水</source>
      <translation>ledger entry</translation>
    </message>
    <message>
      <source>点名消课</source>
      <translation>roll call</translation>
    </message>
    <message>
      <source>班级</source>
      <translation>class</translation>
    </message>
    <message>
      <source>班级成员</source>
      <translation>class member</translation>
    </message>
    <message>
      <source>用户</source>
      <translation>user</translation>
    </message>
    <message>
      <source>监护人</source>
      <translation>guardian</translation>
    </message>
    <message>
      <source>管理</source>
      <translation>Manager</translation>
    </message>
    <message>
      <source>管理员工</source>
      <translation>manage staff</translation>
    </message>
    <message>
      <source>管理班级</source>
      <translation>manage classes</translation>
    </message>
    <message>
      <source>管理用户</source>
      <translation>manage users</translation>
    </message>
    <message>
      <source>管理课程</source>
      <translation>manage courses</translation>
    </message>
    <message>
      <source>统计</source>
      <translation>Statistics</translation>
    </message>
    <message>
      <source>编辑学员</source>
      <translation>edit students</translation>
    </message>
    <message>
      <source>课次</source>
      <translation>lesson</translation>
    </message>
    <message>
      <source>课程</source>
      <translation>course</translation>
    </message>
    <message>
      <source>退费</source>
      <translation>refund</translation>
    </message>
  </context>
</TS>
