# Redmine 5 set-up for Conduit's contract tests; run with `rails runner` (see start.sh).
# Find-or-create throughout: running it again changes nothing and prints the same ids.
# Prints "PROP key=value" lines on stdout; start.sh keeps those.
#
# Environment: CONDUIT_DEPARTMENTS (space-separated OA departments, e.g. "COMPLAINTS-DESK LOGISTICS"),
#              REDMINE_ADMIN_PASSWORD.

def prop(key, value)
  puts "PROP #{key}=#{value}"
end

# REST API on (it is off in a fresh Redmine), JSON answers
Setting.rest_api_enabled = '1'
Setting.default_language = 'en'

# admin: known password, no forced change at first login, an API key
admin = User.find_by_login('admin')
admin.password = ENV.fetch('REDMINE_ADMIN_PASSWORD')
admin.password_confirmation = admin.password
admin.must_change_passwd = false
admin.mail = 'admin@conduit.test' if admin.mail.blank?
admin.save!
prop 'redmine.admin-login', 'admin'
prop 'redmine.admin-id', admin.id
prop 'redmine.api-key', admin.api_key # creates the token if there is none

# Approval tasks (ports oa.create-approval-task, oa.remind-approval-task, oa.cancel-approval-task and the polled
# oa.approval-decisions, adapters/oa/redmine/approvals.camel.yaml): decided by moving an issue of the "Approval"
# tracker from New to one of the closed statuses Approved, Approved with changes (the quantity in "Decision
# quantity") or Rejected; Withdrawn is the ESB's cancellation. Created before the lists below print their ids.
def find_status(name, closed)
  IssueStatus.find_by(name: name) || IssueStatus.create!(name: name, is_closed: closed)
end
new_status = IssueStatus.find_by!(name: 'New')
approval_statuses = {
  'approved' => find_status('Approved', true), 'approved-with-changes' => find_status('Approved with changes', true),
  'rejected' => find_status('Rejected', true), 'withdrawn' => find_status('Withdrawn', true)
}
approval = Tracker.find_by(name: 'Approval') || Tracker.create!(
  name: 'Approval', default_status: new_status, is_in_roadmap: false,
  description: 'A decision asked for by Conduit (approval step of a request raised elsewhere)',
  # what a person needs to decide; categories, versions, estimates, done ratio and sub-tasks mean nothing here
  core_fields: %w[assigned_to_id start_date due_date description])

# Business trips (ports oa.trip-requests-since, oa.apply-trip-decision, adapters/oa/redmine/trips.camel.yaml): an
# employee's trip request is an issue of the tracker "Business trip" (New = waiting; the ESB sets Approved or Rejected;
# the employee may set Cancelled, also after approval); an approved trip's absence (oa.record-absence,
# oa.remove-absence) an issue of the tracker "Absence" from the trip's first to its last day, on Redmine's calendar
# and Gantt, Cancelled when removed. Created here, before the lists below print their ids.
cancelled_status = find_status('Cancelled', true)
trip_tracker = Tracker.find_by(name: 'Business trip') || Tracker.create!(
  name: 'Business trip', default_status: new_status, is_in_roadmap: false,
  description: 'A business trip request, approved through Conduit (start date = first day, due date = last day)',
  core_fields: %w[assigned_to_id start_date due_date description])
absence_tracker = Tracker.find_by(name: 'Absence') || Tracker.create!(
  name: 'Absence', default_status: new_status, is_in_roadmap: false,
  description: 'An employee away (a business trip approved through Conduit), from the start date to the due date',
  core_fields: %w[assigned_to_id start_date due_date description])
trip_trackers = [trip_tracker, absence_tracker]

trackers = Tracker.order(:position).to_a
raise 'no trackers: default data not loaded' if trackers.empty?
trackers.each { |t| prop "redmine.tracker.#{t.name.downcase.gsub(/\W+/, '-')}-id", t.id }
support = Tracker.find_by_name!('Support')
prop 'redmine.tracker-id', support.id

IssueStatus.order(:position).each do |s|
  prop "redmine.status.#{s.name.downcase.gsub(/\W+/, '-')}-id", s.id
end
IssuePriority.order(:position).each do |p|
  prop "redmine.priority.#{p.name.downcase.gsub(/\W+/, '-')}-id", p.id
end

def custom_field(name, description)
  IssueCustomField.find_by(name: name) || IssueCustomField.create!(
    name: name, description: description, field_format: 'string', is_for_all: true, is_filter: true,
    searchable: true, visible: true, editable: true, tracker_ids: Tracker.where.not(name: ['Business trip', 'Absence']).pluck(:id))
end
ext = custom_field('External reference', 'Id of the record in the system that asked for this task (e.g. complaint id)')
sla = custom_field('SLA due at', 'SLA deadline as an ISO-8601 instant (due_date only holds the day)')
# on every tracker but the trips' own: a trip or an absence is no task of a department (and the task-events poller
# reports the issues that have an External reference)
[ext, sla].each do |cf|
  cf.update!(tracker_ids: cf.tracker_ids - trip_trackers.map(&:id)) if (cf.tracker_ids & trip_trackers.map(&:id)).any?
  missing = Tracker.pluck(:id) - trip_trackers.map(&:id) - cf.tracker_ids
  cf.update!(tracker_ids: cf.tracker_ids + missing) unless missing.empty?
end
prop 'redmine.custom-field.external-reference-id', ext.id
prop 'redmine.custom-field.sla-due-at-id', sla.id

# the approval task's fields: only on the Approval tracker. The ESB sets all but "Decision quantity", which the
# approver fills when approving with changes; "Approval key" (<externalRef>/<version>/<step>/<level>) is the
# idempotency key the ESB searches by, "Approver group" what approvers filter their list by.
def approval_field(name, format, description, tracker, filter: false)
  cf = IssueCustomField.find_by(name: name) || IssueCustomField.create!(
    name: name, description: description, field_format: format, is_for_all: true, is_filter: filter,
    searchable: filter, visible: true, editable: true, tracker_ids: [tracker.id])
  cf.update!(tracker_ids: cf.tracker_ids + [tracker.id]) unless cf.tracker_ids.include?(tracker.id)
  cf
end
approval_fields = {
  'approval-key' => approval_field('Approval key', 'string', 'Conduit: <request>/<version>/<step>/<escalation level> (the task\'s key)', approval, filter: true),
  'request-version' => approval_field('Request version', 'int', 'Conduit: the version of the request this decision is for', approval),
  'approval-step' => approval_field('Approval step', 'int', 'Conduit: the approval step (1 = the first approver)', approval),
  'escalation-level' => approval_field('Escalation level', 'int', 'Conduit: 0 the step\'s task, 1 escalated one level up', approval),
  'fingerprint' => approval_field('Fingerprint', 'string', 'Conduit: hash of what is approved', approval),
  'approver-group' => approval_field('Approver group', 'string', 'Conduit: the group of approvers that decides', approval, filter: true),
  'requested-quantity' => approval_field('Requested quantity', 'float', 'Conduit: the quantity asked for', approval),
  'decision-quantity' => approval_field('Decision quantity', 'float', 'The quantity approved instead (status "Approved with changes": above 0, below the requested quantity)', approval)
}
approval_fields.each { |key, cf| prop "redmine.custom-field.#{key}-id", cf.id }

# Who may do what on an Approval issue. Approver: decide an open one (New -> Approved, Approved with changes,
# Rejected) and add notes; the ESB's fields read-only. Conduit ESB (the role of the ESB's user where it is not an
# administrator): create, remind (notes), withdraw (New -> Withdrawn) and reopen a decision it refuses (a decided
# status -> New). An administrator's key, as in the tests, has every role's transitions. A closed issue has none
# for an approver: a second decision is ignored by Redmine.
def find_role(name, permissions)
  r = Role.find_by(name: name) || Role.create!(name: name, issues_visibility: 'all', assignable: true, permissions: permissions)
  missing = permissions - r.permissions
  r.update!(permissions: r.permissions + missing) unless missing.empty?
  r
end
approver = find_role('Approver', %i[view_issues edit_issues add_issue_notes])
esb_role = find_role('Conduit ESB', %i[view_issues add_issues edit_issues add_issue_notes])
def transition(role, tracker, from, to)
  WorkflowTransition.find_or_create_by!(role_id: role.id, tracker_id: tracker.id, old_status_id: from.id,
                                        new_status_id: to.id, author: false, assignee: false)
end
decided = approval_statuses.values_at('approved', 'approved-with-changes', 'rejected')
decided.each { |s| transition(approver, approval, new_status, s) }
transition(esb_role, approval, new_status, approval_statuses['withdrawn'])
decided.each { |s| transition(esb_role, approval, s, new_status) }
# Redmine applies a field's rule of the status an edit moves the issue to: "Decision quantity" stays writable in
# New and in the approving statuses (set with that move; the adapter reads it as the deciding edit left it, and
# refuses an approval whose quantity is not the requested one, as an intent it cannot tell)
quantity_writable = [new_status, approval_statuses['approved'], approval_statuses['approved-with-changes']]
([new_status] + approval_statuses.values).each do |s|
  approval_fields.each do |key, cf|
    next if key == 'decision-quantity' && quantity_writable.include?(s)
    WorkflowPermission.find_or_create_by!(role_id: approver.id, tracker_id: approval.id, old_status_id: s.id,
                                          field_name: cf.id.to_s, rule: 'readonly')
  end
end
WorkflowPermission.where(role_id: approver.id, tracker_id: approval.id, old_status_id: quantity_writable.map(&:id),
                         field_name: approval_fields['decision-quantity'].id.to_s).delete_all
prop 'redmine.role.approver-id', approver.id
prop 'redmine.role.conduit-esb-id', esb_role.id

departments = ENV.fetch('CONDUIT_DEPARTMENTS').split
departments.each do |dept|
  identifier = dept.downcase
  project = Project.find_by(identifier: identifier) || Project.create!(
    name: "OA #{dept}", identifier: identifier, description: "Tasks of the #{dept} department (Conduit)",
    is_public: true, tracker_ids: Tracker.pluck(:id),
    enabled_module_names: %w[issue_tracking time_tracking news documents files wiki calendar gantt])
  prop "redmine.project.#{dept}.id", project.id
  prop "redmine.project.#{dept}.identifier", project.identifier
end
prop 'redmine.departments', departments.join(',')

# approval tasks go to the project of their approver group where esb.systems.oa.projects names one, else to this
# one; every Conduit project can hold them. The approvers: members of the group "Approvers" (role Approver).
approvals_project = Project.find_by(identifier: 'approvals') || Project.create!(
  name: 'Approvals', identifier: 'approvals', description: 'Decisions Conduit asks for (approval steps)',
  is_public: true, tracker_ids: Tracker.pluck(:id), enabled_module_names: %w[issue_tracking])
Project.where(identifier: departments.map(&:downcase) + ['approvals']).each do |project|
  project.update!(tracker_ids: project.tracker_ids + [approval.id]) unless project.tracker_ids.include?(approval.id)
end
approvers = Group.find_by(lastname: 'Approvers') || Group.create!(lastname: 'Approvers')
unless Member.where(project_id: approvals_project.id, user_id: approvers.id).exists?
  Member.create!(project: approvals_project, principal: approvers, role_ids: [approver.id])
end
prop 'redmine.approvals.project.id', approvals_project.id
prop 'redmine.approvals.project.identifier', approvals_project.identifier
prop 'redmine.group.approvers-id', approvers.id

# Business trips and absences (see the trackers above). What the canonical TripRequest needs, in custom fields of the
# tracker "Business trip" (the dates are the issue's start and due date); "Employee number" also on "Absence" (whose
# absence), "Trip" (the trip's issue number: the key the ESB finds the trip's absence by) and "Decision id" (the
# approval that recorded it; empty on an absence removed before anything was recorded) only on "Absence".
def trip_field(name, format, description, trackers, filter: false, required: false, **more)
  cf = IssueCustomField.find_by(name: name) || IssueCustomField.create!(
    { name: name, description: description, field_format: format, is_for_all: true, is_filter: filter,
      searchable: filter, visible: true, editable: true, is_required: required, tracker_ids: trackers.map(&:id) }.merge(more))
  missing = trackers.map(&:id) - cf.tracker_ids
  cf.update!(tracker_ids: cf.tracker_ids + missing) unless missing.empty?
  cf
end
trip_fields = {
  'employee-number' => trip_field('Employee number', 'string', 'The traveller\'s employee number (HR)', trip_trackers, filter: true),
  'employee-name' => trip_field('Employee name', 'string', 'The traveller\'s name', [trip_tracker], required: true),
  'department' => trip_field('Department', 'string', 'The traveller\'s department (approval routing)', [trip_tracker], filter: true, required: true),
  'cost-centre' => trip_field('Cost centre', 'string', 'The cost centre the trip is booked to (ERP)', [trip_tracker], filter: true, required: true),
  'city' => trip_field('Destination city', 'string', 'Where to', [trip_tracker], required: true),
  'country' => trip_field('Destination country', 'string', 'ISO 3166 code, two capital letters (FR)', [trip_tracker], required: true,
                          regexp: '^[A-Z]{2}$', min_length: 2, max_length: 2),
  'purpose' => trip_field('Purpose', 'text', 'Why the trip is needed', [trip_tracker], required: true),
  'transport' => trip_field('Transport', 'list', 'How the traveller goes', [trip_tracker], required: true,
                            possible_values: %w[FLIGHT TRAIN CAR OTHER]),
  'estimated-cost' => trip_field('Estimated cost', 'float', 'The whole trip, in the currency below (what the approval is routed on)', [trip_tracker], required: true),
  'advance' => trip_field('Advance', 'float', 'Paid out beforehand: part of the estimated cost (empty = none)', [trip_tracker]),
  'currency' => trip_field('Currency', 'string', 'ISO 4217 code (EUR)', [trip_tracker], required: true,
                           regexp: '^[A-Z]{3}$', min_length: 3, max_length: 3, default_value: 'EUR'),
  'trip' => trip_field('Trip', 'string', 'Conduit: the business trip (its issue number) this absence is for', [absence_tracker], filter: true),
  'decision-id' => trip_field('Decision id', 'string', 'Conduit: the approval that recorded this absence (<trip>@<revision>)', [absence_tracker])
}
# (the trackers' and the status Cancelled's ids are printed with the others above)
trip_fields.each do |key, cf|
  prop "redmine.custom-field.#{%w[trip decision-id].include?(key) ? 'absence' : 'trip'}-#{key}-id", cf.id
end

# Who may do what. Traveller (employees, e.g. through the group Travellers): submit a trip, change it while it waits
# (New), cancel it (New or Approved -> Cancelled); what was asked is read-only once it left New, so a decided trip
# cannot change under its approval. Conduit ESB (a member of both projects with this role, where its user is not an
# administrator): decide a waiting trip (New -> Approved, Rejected), record an absence and remove it (New ->
# Cancelled). An administrator's key, as in the tests, has every role's transitions.
traveller = find_role('Traveller', %i[view_issues add_issues edit_issues add_issue_notes])
approved_status = approval_statuses['approved']
rejected_status = approval_statuses['rejected']
transition(traveller, trip_tracker, new_status, cancelled_status)
transition(traveller, trip_tracker, approved_status, cancelled_status)
transition(esb_role, trip_tracker, new_status, approved_status)
transition(esb_role, trip_tracker, new_status, rejected_status)
transition(esb_role, absence_tracker, new_status, cancelled_status)
# a removal that comes before the recording is kept as an absence created Cancelled (nothing recorded), so the late
# recording finds it: the ESB may create an absence in New or Cancelled (old status 0 = a new issue)
[new_status, cancelled_status].each do |s|
  WorkflowTransition.find_or_create_by!(role_id: esb_role.id, tracker_id: absence_tracker.id, old_status_id: 0,
                                        new_status_id: s.id, author: false, assignee: false)
end
asked = trip_fields.values_at('employee-number', 'employee-name', 'department', 'cost-centre', 'city', 'country',
                              'purpose', 'transport', 'estimated-cost', 'advance', 'currency').map { |cf| cf.id.to_s } +
        %w[start_date due_date]
[approved_status, rejected_status, cancelled_status].each do |s|
  asked.each do |field|
    WorkflowPermission.find_or_create_by!(role_id: traveller.id, tracker_id: trip_tracker.id, old_status_id: s.id,
                                          field_name: field, rule: 'readonly')
  end
end
prop 'redmine.role.traveller-id', traveller.id

# the projects: trips (the requests; the ESB's trips.project) and attendance (the absences; absences.project), with
# the calendar and Gantt where an absence shows
def trip_project(identifier, name, description, tracker)
  project = Project.find_by(identifier: identifier) || Project.create!(
    name: name, identifier: identifier, description: description, is_public: true, tracker_ids: [tracker.id],
    enabled_module_names: %w[issue_tracking calendar gantt])
  project.update!(tracker_ids: project.tracker_ids + [tracker.id]) unless project.tracker_ids.include?(tracker.id)
  project
end
trips_project = trip_project('trips', 'Business trips', 'Business trip requests (approved through Conduit)', trip_tracker)
attendance_project = trip_project('attendance', 'Attendance', 'Who is away when: absences of approved business trips (Conduit)', absence_tracker)
travellers = Group.find_by(lastname: 'Travellers') || Group.create!(lastname: 'Travellers')
unless Member.where(project_id: trips_project.id, user_id: travellers.id).exists?
  Member.create!(project: trips_project, principal: travellers, role_ids: [traveller.id])
end
prop 'redmine.trips.project.id', trips_project.id
prop 'redmine.trips.project.identifier', trips_project.identifier
prop 'redmine.absences.project.id', attendance_project.id
prop 'redmine.absences.project.identifier', attendance_project.identifier
prop 'redmine.group.travellers-id', travellers.id
