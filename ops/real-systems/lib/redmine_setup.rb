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
    searchable: true, visible: true, editable: true, tracker_ids: Tracker.pluck(:id))
end
ext = custom_field('External reference', 'Id of the record in the system that asked for this task (e.g. complaint id)')
sla = custom_field('SLA due at', 'SLA deadline as an ISO-8601 instant (due_date only holds the day)')
[ext, sla].each do |cf|
  missing = Tracker.pluck(:id) - cf.tracker_ids
  cf.update!(tracker_ids: cf.tracker_ids + missing) unless missing.empty?
end
prop 'redmine.custom-field.external-reference-id', ext.id
prop 'redmine.custom-field.sla-due-at-id', sla.id

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
