// @ts-nocheck: precompiled Handlebars template specifications
/**
 * The digest e-mail templates, precompiled: written by `npm run compile:email` (scripts/compile-email.ts) from
 * shared/email/templates/*.mjml. Edits by hand are lost, and test/unit/email-render.test.ts fails while this
 * file differs from what the script writes.
 */
import type { TemplateSpecification } from 'handlebars';

/** Compiled from shared/email/templates/district-digest.mjml. */
export const districtDigest: TemplateSpecification = {"0":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> <tr> <td style=\"padding:0 12px 0 0;vertical-align:middle;\"> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"bar"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.program(4, data, 0),"data":data,"loc":{"start":{"line":26,"column":584},"end":{"line":26,"column":1256}}})) != null ? stack1 : "")
    + " </td> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"bar"),{"name":"if","hash":{},"fn":container.program(5, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":1263},"end":{"line":26,"column":1448}}})) != null ? stack1 : "")
    + " </tr> </table> ";
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" bgcolor=\"#dfe5ea\" style=\"border-collapse:collapse;width:100%;background-color:#dfe5ea;\"> <tr> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(lookupProperty(depth0,"bar"),"fill"),{"name":"if","hash":{},"fn":container.program(2, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":773},"end":{"line":26,"column":959}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(lookupProperty(depth0,"bar"),"rest"),{"name":"if","hash":{},"fn":container.program(3, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":960},"end":{"line":26,"column":1146}}})) != null ? stack1 : "")
    + " </tr> </table> ";
},"2":function(container,depth0,helpers,partials,data) {
    var alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td width=\""
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "fill", {"start":{"line":26,"column":802},"end":{"line":26,"column":810}} ), depth0))
    + "%\" height=\"12\" bgcolor=\"#1f7a4d\" style=\"width:"
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "fill", {"start":{"line":26,"column":860},"end":{"line":26,"column":868}} ), depth0))
    + "%;height:12px;background-color:#1f7a4d;font-size:1px;line-height:1px;\">&nbsp;</td>";
},"3":function(container,depth0,helpers,partials,data) {
    var alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td width=\""
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "rest", {"start":{"line":26,"column":989},"end":{"line":26,"column":997}} ), depth0))
    + "%\" height=\"12\" bgcolor=\"#dfe5ea\" style=\"width:"
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "rest", {"start":{"line":26,"column":1047},"end":{"line":26,"column":1055}} ), depth0))
    + "%;height:12px;background-color:#dfe5ea;font-size:1px;line-height:1px;\">&nbsp;</td>";
},"4":function(container,depth0,helpers,partials,data) {
    return " <span style=\"font-size:14px;line-height:20px;color:#52606d;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "value", {"start":{"line":26,"column":1234},"end":{"line":26,"column":1239}} ), depth0))
    + "</span> ";
},"5":function(container,depth0,helpers,partials,data) {
    return "<td width=\"64\" align=\"right\" style=\"width:64px;vertical-align:middle;font-size:18px;line-height:22px;font-weight:bold;color:#1f2933;white-space:nowrap;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "value", {"start":{"line":26,"column":1429},"end":{"line":26,"column":1434}} ), depth0))
    + "</td>";
},"6":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, alias4=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <tr> <td style=\"padding:20px 0 4px;font-size:16px;line-height:22px;font-weight:bold;color:#1f2933;\">"
    + alias3(alias2(alias1(depth0, "heading", {"start":{"line":26,"column":1604},"end":{"line":26,"column":1611}} ), depth0))
    + "</td> </tr> <tr> <td style=\"padding:0 0 8px;font-size:14px;line-height:20px;color:#52606d;\">"
    + alias3(alias2(alias1(depth0, "note", {"start":{"line":26,"column":1707},"end":{"line":26,"column":1711}} ), depth0))
    + "</td> </tr> "
    + ((stack1 = lookupProperty(helpers,"each").call(alias4,lookupProperty(depth0,"items"),{"name":"each","hash":{},"fn":container.program(7, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":1725},"end":{"line":26,"column":2237}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(depth0,"more"),{"name":"if","hash":{},"fn":container.program(9, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":2238},"end":{"line":26,"column":2363}}})) != null ? stack1 : "")
    + " ";
},"7":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <tr> <td style=\"padding:8px 0 8px 12px;border-left:3px solid "
    + alias3(alias2(alias1(depths[1], "accent", {"start":{"line":26,"column":1804},"end":{"line":26,"column":1813}} ), depth0))
    + ";overflow-wrap:anywhere;word-break:break-word;\"> <div style=\"font-size:15px;line-height:21px;font-weight:bold;color:#1f2933;\">"
    + alias3(alias2(alias1(depth0, "title", {"start":{"line":26,"column":1943},"end":{"line":26,"column":1948}} ), depth0))
    + "</div> <div style=\"font-size:13px;line-height:19px;color:#52606d;\">"
    + alias3(alias2(alias1(depth0, "detail", {"start":{"line":26,"column":2019},"end":{"line":26,"column":2025}} ), depth0))
    + "</div> "
    + ((stack1 = lookupProperty(helpers,"if").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"owner"),{"name":"if","hash":{},"fn":container.program(8, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":2034},"end":{"line":26,"column":2129}}})) != null ? stack1 : "")
    + " </td> </tr> <tr><td height=\"6\" style=\"height:6px;font-size:1px;line-height:1px;\">&nbsp;</td></tr> ";
},"8":function(container,depth0,helpers,partials,data) {
    return "<div style=\"font-size:13px;line-height:19px;color:#52606d;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "owner", {"start":{"line":26,"column":2109},"end":{"line":26,"column":2114}} ), depth0))
    + "</div>";
},"9":function(container,depth0,helpers,partials,data) {
    return " <tr> <td style=\"padding:0 0 4px 15px;font-size:14px;line-height:20px;color:#52606d;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "more", {"start":{"line":26,"column":2338},"end":{"line":26,"column":2342}} ), depth0))
    + "</td> </tr> ";
},"10":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = container.invokePartial(lookupProperty(partials,"bar"),depth0,{"name":"bar","data":data,"helpers":helpers,"partials":partials,"decorators":container.decorators})) != null ? stack1 : "");
},"11":function(container,depth0,helpers,partials,data) {
    var lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td style=\"padding:4px 10px;background-color:#fde8e8;color:#9b1c1c;font-size:14px;line-height:20px;font-weight:bold;white-space:nowrap;\" bgcolor=\"#fde8e8\">"
    + container.escapeExpression(container.lambda(container.strict(lookupProperty(depth0,"milestones"), "overdueCount", {"start":{"line":26,"column":7232},"end":{"line":26,"column":7255}} ), depth0))
    + "</td>";
},"12":function(container,depth0,helpers,partials,data) {
    var lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td style=\"padding:4px 10px;background-color:#eef2f5;color:#52606d;font-size:14px;line-height:20px;white-space:nowrap;\" bgcolor=\"#eef2f5\">"
    + container.escapeExpression(container.lambda(container.strict(lookupProperty(depth0,"milestones"), "overdueCount", {"start":{"line":26,"column":7410},"end":{"line":26,"column":7433}} ), depth0))
    + "</td>";
},"13":function(container,depth0,helpers,partials,data) {
    var lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td style=\"padding:4px 10px;background-color:#fdf3dc;color:#8a5a00;font-size:14px;line-height:20px;font-weight:bold;white-space:nowrap;\" bgcolor=\"#fdf3dc\">"
    + container.escapeExpression(container.lambda(container.strict(lookupProperty(depth0,"milestones"), "staleCount", {"start":{"line":26,"column":7679},"end":{"line":26,"column":7700}} ), depth0))
    + "</td>";
},"14":function(container,depth0,helpers,partials,data) {
    var lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td style=\"padding:4px 10px;background-color:#eef2f5;color:#52606d;font-size:14px;line-height:20px;white-space:nowrap;\" bgcolor=\"#eef2f5\">"
    + container.escapeExpression(container.lambda(container.strict(lookupProperty(depth0,"milestones"), "staleCount", {"start":{"line":26,"column":7855},"end":{"line":26,"column":7876}} ), depth0))
    + "</td>";
},"15":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = container.invokePartial(lookupProperty(partials,"milestones"),depth0,{"name":"milestones","hash":{"accent":"#1f7a4d"},"data":data,"helpers":helpers,"partials":partials,"decorators":container.decorators})) != null ? stack1 : "");
},"16":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = container.invokePartial(lookupProperty(partials,"milestones"),depth0,{"name":"milestones","hash":{"accent":"#c81e1e"},"data":data,"helpers":helpers,"partials":partials,"decorators":container.decorators})) != null ? stack1 : "");
},"17":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = container.invokePartial(lookupProperty(partials,"milestones"),depth0,{"name":"milestones","hash":{"accent":"#d69e2e"},"data":data,"helpers":helpers,"partials":partials,"decorators":container.decorators})) != null ? stack1 : "");
},"18":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, alias4=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <tr> <td style=\"padding:14px 0 2px;overflow-wrap:anywhere;word-break:break-word;\"> <span style=\"font-size:16px;line-height:22px;font-weight:bold;color:#1f2933;\">"
    + alias3(alias2(alias1(depth0, "name", {"start":{"line":27,"column":2392},"end":{"line":27,"column":2396}} ), depth0))
    + "</span> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(depth0,"priority"),{"name":"if","hash":{},"fn":container.program(19, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":27,"column":2406},"end":{"line":27,"column":2569}}})) != null ? stack1 : "")
    + " </td> </tr> <tr> <td style=\"padding:0 0 4px;font-size:15px;line-height:22px;color:#1f2933;\"> Mean <strong style=\"font-size:18px;\">"
    + alias3(alias2(alias1(depth0, "mean", {"start":{"line":27,"column":2702},"end":{"line":27,"column":2706}} ), depth0))
    + "</strong> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(depth0,"change"),{"name":"if","hash":{},"fn":container.program(20, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":27,"column":2718},"end":{"line":27,"column":2799}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(depth0,"responses"),{"name":"if","hash":{},"fn":container.program(21, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":27,"column":2800},"end":{"line":27,"column":2880}}})) != null ? stack1 : "")
    + " </td> </tr> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(depth0,"alignmentGap"),{"name":"if","hash":{},"fn":container.program(22, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":27,"column":2893},"end":{"line":27,"column":3044}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(lookupProperty(depth0,"roles"),"length"),{"name":"if","hash":{},"fn":container.program(23, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":27,"column":3045},"end":{"line":27,"column":3620}}})) != null ? stack1 : "")
    + " ";
},"19":function(container,depth0,helpers,partials,data) {
    return "<span style=\"font-size:12px;line-height:16px;color:#123c5a;background-color:#e3eef7;padding:1px 6px;white-space:nowrap;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "priority", {"start":{"line":27,"column":2545},"end":{"line":27,"column":2553}} ), depth0))
    + "</span>";
},"20":function(container,depth0,helpers,partials,data) {
    return "<span style=\"white-space:nowrap;\">· change "
    + container.escapeExpression(container.lambda(container.strict(depth0, "change", {"start":{"line":27,"column":2777},"end":{"line":27,"column":2783}} ), depth0))
    + "</span>";
},"21":function(container,depth0,helpers,partials,data) {
    return "<span style=\"white-space:nowrap;\">· "
    + container.escapeExpression(container.lambda(container.strict(depth0, "responses", {"start":{"line":27,"column":2855},"end":{"line":27,"column":2864}} ), depth0))
    + "</span>";
},"22":function(container,depth0,helpers,partials,data) {
    return " <tr> <td style=\"padding:0 0 6px;font-size:14px;line-height:20px;color:#52606d;\">Alignment gap: "
    + container.escapeExpression(container.lambda(container.strict(depth0, "alignmentGap", {"start":{"line":27,"column":3011},"end":{"line":27,"column":3023}} ), depth0))
    + "</td> </tr> ";
},"23":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <tr> <td style=\"padding:0 0 10px;\"> <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> "
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"roles"),{"name":"each","hash":{},"fn":container.program(24, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":27,"column":3231},"end":{"line":27,"column":3591}}})) != null ? stack1 : "")
    + " </table> </td> </tr> ";
},"24":function(container,depth0,helpers,partials,data) {
    var alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression;

  return " <tr> <td style=\"padding:3px 8px 3px 0;border-bottom:1px solid #eef2f5;font-size:13px;line-height:18px;color:#52606d;overflow-wrap:anywhere;word-break:break-word;\">"
    + alias3(alias2(alias1(depth0, "label", {"start":{"line":27,"column":3412},"end":{"line":27,"column":3417}} ), depth0))
    + "</td> <td align=\"right\" style=\"padding:3px 0;border-bottom:1px solid #eef2f5;font-size:13px;line-height:18px;color:#1f2933;text-align:right;\">"
    + alias3(alias2(alias1(depth0, "value", {"start":{"line":27,"column":3563},"end":{"line":27,"column":3568}} ), depth0))
    + "</td> </tr> ";
},"25":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <tr> <td style=\"padding:14px 0 4px;font-size:16px;line-height:22px;font-weight:bold;color:#1f2933;overflow-wrap:anywhere;word-break:break-word;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "name", {"start":{"line":28,"column":2414},"end":{"line":28,"column":2418}} ), depth0))
    + "</td> </tr> <tr> <td style=\"padding:0 0 4px;\">"
    + ((stack1 = lookupProperty(helpers,"with").call(alias1,lookupProperty(depth0,"masteryRate"),{"name":"with","hash":{},"fn":container.program(10, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":28,"column":2466},"end":{"line":28,"column":2505}}})) != null ? stack1 : "")
    + "</td> </tr> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"learners"),{"name":"if","hash":{},"fn":container.program(26, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":28,"column":2517},"end":{"line":28,"column":2645}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(lookupProperty(depth0,"groups"),"length"),{"name":"if","hash":{},"fn":container.program(27, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":28,"column":2646},"end":{"line":28,"column":3223}}})) != null ? stack1 : "")
    + " ";
},"26":function(container,depth0,helpers,partials,data) {
    return " <tr> <td style=\"padding:0 0 6px;font-size:14px;line-height:20px;color:#52606d;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "learners", {"start":{"line":28,"column":2616},"end":{"line":28,"column":2624}} ), depth0))
    + "</td> </tr> ";
},"27":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <tr> <td style=\"padding:0 0 10px;\"> <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> "
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"groups"),{"name":"each","hash":{},"fn":container.program(24, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":28,"column":2833},"end":{"line":28,"column":3194}}})) != null ? stack1 : "")
    + " </table> </td> </tr> ";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data,blockParams,depths) {
    var stack1, alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, alias4=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<!doctype html><html lang=\"en\" dir=\"auto\" xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><title>"
    + alias3(alias2(alias1(depth0, "subject", {"start":{"line":1,"column":184},"end":{"line":1,"column":191}} ), depth0))
    + "</title>\u003C!--[if !mso]>\u003C!--><meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\u003C!--<![endif]--><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style type=\"text/css\">\n      #outlook a { padding:0; }\n      body { margin:0;padding:0;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%; }\n      table, td { border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt; }\n      img { border:0;height:auto;line-height:100%; outline:none;text-decoration:none;-ms-interpolation-mode:bicubic; }\n      p { display:block;margin:13px 0; }\n    </style>\u003C!--[if mso]>\n    <noscript>\n    <xml>\n    <o:OfficeDocumentSettings>\n      <o:AllowPNG/>\n      <o:PixelsPerInch>96</o:PixelsPerInch>\n    </o:OfficeDocumentSettings>\n    </xml>\n    </noscript>\n    <![endif]-->\u003C!--[if lte mso 11]>\n    <style type=\"text/css\">\n      .mj-outlook-group-fix { width:100% !important; }\n    </style>\n    <![endif]--><style type=\"text/css\">\n      @media only screen and (min-width:480px) {\n        .mj-column-per-100 { width:100% !important; max-width: 100%; }\n      }\n    </style><style media=\"screen and (min-width:480px)\">\n      .moz-text-html .mj-column-per-100 { width:100% !important; max-width: 100%; }\n    </style></head><body style=\"word-spacing:normal;background-color:#eef2f5;\"> <div style=\"display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;\">"
    + alias3(alias2(alias1(depth0, "preheader", {"start":{"line":26,"column":208},"end":{"line":26,"column":217}} ), depth0))
    + "</div> <div aria-label=\""
    + alias3(alias2(alias1(depth0, "subject", {"start":{"line":26,"column":245},"end":{"line":26,"column":252}} ), depth0))
    + "\" aria-roledescription=\"email\" role=\"article\" lang=\"en\" dir=\"auto\" style=\"word-spacing:normal;background-color:#eef2f5;\">   \u003C!--[if mso | IE]><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#123c5a\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#123c5a;background-color:#123c5a;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#123c5a;background-color:#123c5a;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:28px 0 24px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 6px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:13px;line-height:18px;text-align:left;color:#cfe0ee;\">Vision Progress · "
    + alias3(alias2(alias1(depth0, "periodLabel", {"start":{"line":26,"column":3747},"end":{"line":26,"column":3758}} ), depth0))
    + "</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 6px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:24px;font-weight:bold;line-height:30px;text-align:left;color:#ffffff;\"><div style=\"overflow-wrap:anywhere;word-break:break-word;\">"
    + alias3(alias2(alias1(depth0, "districtName", {"start":{"line":26,"column":4073},"end":{"line":26,"column":4085}} ), depth0))
    + "</div></div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:14px;line-height:20px;text-align:left;color:#cfe0ee;\">"
    + alias3(alias2(alias1(depth0, "asOf", {"start":{"line":26,"column":4326},"end":{"line":26,"column":4330}} ), depth0))
    + ". "
    + alias3(alias2(alias1(depth0, "sinceNote", {"start":{"line":26,"column":4336},"end":{"line":26,"column":4345}} ), depth0))
    + "</div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#ffffff\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#ffffff;background-color:#ffffff;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#ffffff;background-color:#ffffff;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:24px 0 8px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 10px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:20px;font-weight:bold;line-height:26px;text-align:left;color:#1f2933;\">Milestones</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 4px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:14px;line-height:22px;text-align:left;color:#52606d;\">Completion</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 6px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:15px;line-height:22px;text-align:left;color:#1f2933;\">"
    + ((stack1 = lookupProperty(helpers,"with").call(alias4,lookupProperty(lookupProperty(depth0,"milestones"),"completion"),{"name":"with","hash":{},"fn":container.program(10, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":6383},"end":{"line":26,"column":6432}}})) != null ? stack1 : "")
    + "</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 12px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:14px;line-height:22px;text-align:left;color:#52606d;\">"
    + alias3(alias2(alias1(lookupProperty(depth0,"milestones"), "completionDetail", {"start":{"line":26,"column":6670},"end":{"line":26,"column":6697}} ), depth0))
    + "</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 4px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:15px;line-height:22px;text-align:left;color:#1f2933;\"><table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;\"> <tr> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(lookupProperty(depth0,"milestones"),"overdueAlert"),{"name":"if","hash":{},"fn":container.program(11, data, 0, blockParams, depths),"inverse":container.program(12, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":26,"column":7044},"end":{"line":26,"column":7447}}})) != null ? stack1 : "")
    + " <td width=\"8\" style=\"width:8px;\">&nbsp;</td> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias4,lookupProperty(lookupProperty(depth0,"milestones"),"staleAlert"),{"name":"if","hash":{},"fn":container.program(13, data, 0, blockParams, depths),"inverse":container.program(14, data, 0, blockParams, depths),"data":data,"loc":{"start":{"line":26,"column":7493},"end":{"line":26,"column":7890}}})) != null ? stack1 : "")
    + " </tr> </table></div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 16px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:15px;line-height:22px;text-align:left;color:#1f2933;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:separate;width:100%;\"> "
    + ((stack1 = lookupProperty(helpers,"with").call(alias4,lookupProperty(lookupProperty(depth0,"milestones"),"achieved"),{"name":"with","hash":{},"fn":container.program(15, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":8270},"end":{"line":26,"column":8341}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"with").call(alias4,lookupProperty(lookupProperty(depth0,"milestones"),"overdue"),{"name":"with","hash":{},"fn":container.program(16, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":8342},"end":{"line":26,"column":8412}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"with").call(alias4,lookupProperty(lookupProperty(depth0,"milestones"),"stale"),{"name":"with","hash":{},"fn":container.program(17, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":8413},"end":{"line":26,"column":8481}}})) != null ? stack1 : "")
    + " </table></div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#ffffff\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#ffffff;background-color:#ffffff;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#ffffff;background-color:#ffffff;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:0;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"center\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <p style=\"border-top:solid 1px #dfe5ea;font-size:1px;margin:0px auto;width:100%;\"> </p> \u003C!--[if mso | IE]><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-top:solid 1px #dfe5ea;font-size:1px;margin:0px auto;width:552px;\" role=\"presentation\" width=\"552px\" ><tr><td style=\"height:0;line-height:0;\"> &nbsp;\n</td></tr></table><![endif]--> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#ffffff\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#ffffff;background-color:#ffffff;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#ffffff;background-color:#ffffff;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:8px 0 8px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 10px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:20px;font-weight:bold;line-height:26px;text-align:left;color:#1f2933;\">Conditions for change</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 8px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:14px;line-height:22px;text-align:left;color:#52606d;\">"
    + alias3(alias2(alias1(depth0, "conditionsNote", {"start":{"line":27,"column":1827},"end":{"line":27,"column":1841}} ), depth0))
    + "</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 16px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:15px;line-height:22px;text-align:left;color:#1f2933;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> "
    + ((stack1 = lookupProperty(helpers,"each").call(alias4,lookupProperty(depth0,"conditions"),{"name":"each","hash":{},"fn":container.program(18, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":27,"column":2208},"end":{"line":27,"column":3630}}})) != null ? stack1 : "")
    + " </table></div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#ffffff\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#ffffff;background-color:#ffffff;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#ffffff;background-color:#ffffff;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:0;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"center\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <p style=\"border-top:solid 1px #dfe5ea;font-size:1px;margin:0px auto;width:100%;\"> </p> \u003C!--[if mso | IE]><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-top:solid 1px #dfe5ea;font-size:1px;margin:0px auto;width:552px;\" role=\"presentation\" width=\"552px\" ><tr><td style=\"height:0;line-height:0;\"> &nbsp;\n</td></tr></table><![endif]--> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#ffffff\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#ffffff;background-color:#ffffff;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#ffffff;background-color:#ffffff;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:8px 0 16px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 10px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:20px;font-weight:bold;line-height:26px;text-align:left;color:#1f2933;\">Portrait of a Graduate</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 8px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:14px;line-height:22px;text-align:left;color:#52606d;\">Share of assessed learners at mastery, by competency.</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 8px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:15px;line-height:22px;text-align:left;color:#1f2933;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> "
    + ((stack1 = lookupProperty(helpers,"each").call(alias4,lookupProperty(depth0,"competencies"),{"name":"each","hash":{},"fn":container.program(25, data, 0, blockParams, depths),"inverse":container.noop,"data":data,"loc":{"start":{"line":28,"column":2244},"end":{"line":28,"column":3233}}})) != null ? stack1 : "")
    + " </table></div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#eef2f5\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#eef2f5;background-color:#eef2f5;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#eef2f5;background-color:#eef2f5;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:20px 0 32px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 8px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:13px;line-height:19px;text-align:left;color:#52606d;\">"
    + alias3(alias2(alias1(depth0, "suppressionNote", {"start":{"line":28,"column":4773},"end":{"line":28,"column":4788}} ), depth0))
    + "</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:13px;line-height:19px;text-align:left;color:#52606d;\">You receive this digest as a subscriber of "
    + alias3(alias2(alias1(depth0, "districtName", {"start":{"line":28,"column":5066},"end":{"line":28,"column":5078}} ), depth0))
    + ". <a href=\""
    + alias3(alias2(alias1(depth0, "unsubscribeUrl", {"start":{"line":28,"column":5093},"end":{"line":28,"column":5107}} ), depth0))
    + "\" style=\"color:#123c5a;text-decoration:underline;\">Unsubscribe</a></div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </div> </body></html>\n";
},"main_d":  function(fn, props, container, depth0, data, blockParams, depths) {

  var decorators = container.decorators, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  var decorator = lookupProperty(decorators,"inline");
  if (typeof decorator !== "function") { throw new Error("Missing decorator: \"inline\""); }
  fn = decorator(fn,props,container,{"name":"inline","hash":{},"fn":container.program(0, data, 0, blockParams, depths),"inverse":container.noop,"args":["bar"],"data":data,"loc":{"start":{"line":26,"column":376},"end":{"line":26,"column":1475}}}) || fn;
  var decorator = lookupProperty(decorators,"inline");
  if (typeof decorator !== "function") { throw new Error("Missing decorator: \"inline\""); }
  fn = decorator(fn,props,container,{"name":"inline","hash":{},"fn":container.program(6, data, 0, blockParams, depths),"inverse":container.noop,"args":["milestones"],"data":data,"loc":{"start":{"line":26,"column":1476},"end":{"line":26,"column":2375}}}) || fn;
  return fn;
  }

,"useDecorators":true,"usePartial":true,"useData":true,"useDepths":true};

/** Compiled from shared/email/templates/state-rollup.mjml. */
export const stateRollup: TemplateSpecification = {"0":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <tr> <td style=\"padding:16px 0 6px;border-top:1px solid #dfe5ea;font-size:16px;line-height:22px;font-weight:bold;color:#1f2933;overflow-wrap:anywhere;word-break:break-word;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "districtName", {"start":{"line":26,"column":5828},"end":{"line":26,"column":5840}} ), depth0))
    + "</td> </tr> <tr> <td style=\"padding:0 0 6px;\"> "
    + ((stack1 = lookupProperty(helpers,"with").call(alias1,lookupProperty(depth0,"completion"),{"name":"with","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":5889},"end":{"line":26,"column":7125}}})) != null ? stack1 : "")
    + " </td> </tr> <tr> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"overdueAlert"),{"name":"if","hash":{},"fn":container.program(7, data, 0),"inverse":container.program(8, data, 0),"data":data,"loc":{"start":{"line":26,"column":7143},"end":{"line":26,"column":7377}}})) != null ? stack1 : "")
    + " </tr> <tr> <td style=\"padding:0 0 14px;\"> <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> "
    + ((stack1 = lookupProperty(helpers,"each").call(alias1,lookupProperty(depth0,"conditions"),{"name":"each","hash":{},"fn":container.program(9, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":7549},"end":{"line":26,"column":7950}}})) != null ? stack1 : "")
    + " </table> </td> </tr> ";
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> <tr> <td width=\"84\" style=\"width:84px;padding:0 8px 0 0;font-size:13px;line-height:18px;color:#52606d;vertical-align:middle;\">Completion</td> <td style=\"padding:0 10px 0 0;vertical-align:middle;\"> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"bar"),{"name":"if","hash":{},"fn":container.program(2, data, 0),"inverse":container.program(5, data, 0),"data":data,"loc":{"start":{"line":26,"column":6236},"end":{"line":26,"column":6908}}})) != null ? stack1 : "")
    + " </td> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"bar"),{"name":"if","hash":{},"fn":container.program(6, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":6915},"end":{"line":26,"column":7100}}})) != null ? stack1 : "")
    + " </tr> </table> ";
},"2":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" bgcolor=\"#dfe5ea\" style=\"border-collapse:collapse;width:100%;background-color:#dfe5ea;\"> <tr> "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(lookupProperty(depth0,"bar"),"fill"),{"name":"if","hash":{},"fn":container.program(3, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":6425},"end":{"line":26,"column":6611}}})) != null ? stack1 : "")
    + " "
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(lookupProperty(depth0,"bar"),"rest"),{"name":"if","hash":{},"fn":container.program(4, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":6612},"end":{"line":26,"column":6798}}})) != null ? stack1 : "")
    + " </tr> </table> ";
},"3":function(container,depth0,helpers,partials,data) {
    var alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td width=\""
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "fill", {"start":{"line":26,"column":6454},"end":{"line":26,"column":6462}} ), depth0))
    + "%\" height=\"10\" bgcolor=\"#1f7a4d\" style=\"width:"
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "fill", {"start":{"line":26,"column":6512},"end":{"line":26,"column":6520}} ), depth0))
    + "%;height:10px;background-color:#1f7a4d;font-size:1px;line-height:1px;\">&nbsp;</td>";
},"4":function(container,depth0,helpers,partials,data) {
    var alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<td width=\""
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "rest", {"start":{"line":26,"column":6641},"end":{"line":26,"column":6649}} ), depth0))
    + "%\" height=\"10\" bgcolor=\"#dfe5ea\" style=\"width:"
    + alias3(alias2(alias1(lookupProperty(depth0,"bar"), "rest", {"start":{"line":26,"column":6699},"end":{"line":26,"column":6707}} ), depth0))
    + "%;height:10px;background-color:#dfe5ea;font-size:1px;line-height:1px;\">&nbsp;</td>";
},"5":function(container,depth0,helpers,partials,data) {
    return " <span style=\"font-size:14px;line-height:20px;color:#52606d;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "value", {"start":{"line":26,"column":6886},"end":{"line":26,"column":6891}} ), depth0))
    + "</span> ";
},"6":function(container,depth0,helpers,partials,data) {
    return "<td width=\"52\" align=\"right\" style=\"width:52px;vertical-align:middle;font-size:16px;line-height:22px;font-weight:bold;color:#1f2933;white-space:nowrap;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "value", {"start":{"line":26,"column":7081},"end":{"line":26,"column":7086}} ), depth0))
    + "</td>";
},"7":function(container,depth0,helpers,partials,data) {
    return "<td style=\"padding:0 0 6px;font-size:14px;line-height:20px;font-weight:bold;color:#9b1c1c;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "overdue", {"start":{"line":26,"column":7257},"end":{"line":26,"column":7264}} ), depth0))
    + "</td>";
},"8":function(container,depth0,helpers,partials,data) {
    return "<td style=\"padding:0 0 6px;font-size:14px;line-height:20px;color:#52606d;\">"
    + container.escapeExpression(container.lambda(container.strict(depth0, "overdue", {"start":{"line":26,"column":7356},"end":{"line":26,"column":7363}} ), depth0))
    + "</td>";
},"9":function(container,depth0,helpers,partials,data) {
    var alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression;

  return " <tr> <td style=\"padding:3px 8px 3px 0;border-bottom:1px solid #eef2f5;font-size:13px;line-height:18px;color:#52606d;overflow-wrap:anywhere;word-break:break-word;\">"
    + alias3(alias2(alias1(depth0, "label", {"start":{"line":26,"column":7735},"end":{"line":26,"column":7740}} ), depth0))
    + "</td> <td align=\"right\" style=\"padding:3px 0;border-bottom:1px solid #eef2f5;font-size:14px;line-height:18px;font-weight:bold;color:#1f2933;text-align:right;white-space:nowrap;\">"
    + alias3(alias2(alias1(depth0, "value", {"start":{"line":26,"column":7922},"end":{"line":26,"column":7927}} ), depth0))
    + "</td> </tr> ";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.strict, alias2=container.lambda, alias3=container.escapeExpression, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "<!doctype html><html lang=\"en\" dir=\"auto\" xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><title>"
    + alias3(alias2(alias1(depth0, "subject", {"start":{"line":1,"column":184},"end":{"line":1,"column":191}} ), depth0))
    + "</title>\u003C!--[if !mso]>\u003C!--><meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\u003C!--<![endif]--><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style type=\"text/css\">\n      #outlook a { padding:0; }\n      body { margin:0;padding:0;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%; }\n      table, td { border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt; }\n      img { border:0;height:auto;line-height:100%; outline:none;text-decoration:none;-ms-interpolation-mode:bicubic; }\n      p { display:block;margin:13px 0; }\n    </style>\u003C!--[if mso]>\n    <noscript>\n    <xml>\n    <o:OfficeDocumentSettings>\n      <o:AllowPNG/>\n      <o:PixelsPerInch>96</o:PixelsPerInch>\n    </o:OfficeDocumentSettings>\n    </xml>\n    </noscript>\n    <![endif]-->\u003C!--[if lte mso 11]>\n    <style type=\"text/css\">\n      .mj-outlook-group-fix { width:100% !important; }\n    </style>\n    <![endif]--><style type=\"text/css\">\n      @media only screen and (min-width:480px) {\n        .mj-column-per-100 { width:100% !important; max-width: 100%; }\n      }\n    </style><style media=\"screen and (min-width:480px)\">\n      .moz-text-html .mj-column-per-100 { width:100% !important; max-width: 100%; }\n    </style></head><body style=\"word-spacing:normal;background-color:#eef2f5;\"> <div style=\"display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;\">"
    + alias3(alias2(alias1(depth0, "preheader", {"start":{"line":26,"column":208},"end":{"line":26,"column":217}} ), depth0))
    + "</div> <div aria-label=\""
    + alias3(alias2(alias1(depth0, "subject", {"start":{"line":26,"column":245},"end":{"line":26,"column":252}} ), depth0))
    + "\" aria-roledescription=\"email\" role=\"article\" lang=\"en\" dir=\"auto\" style=\"word-spacing:normal;background-color:#eef2f5;\"> \u003C!--[if mso | IE]><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#123c5a\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#123c5a;background-color:#123c5a;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#123c5a;background-color:#123c5a;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:28px 0 24px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 6px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:13px;line-height:18px;text-align:left;color:#cfe0ee;\">Vision Progress · "
    + alias3(alias2(alias1(depth0, "periodLabel", {"start":{"line":26,"column":1747},"end":{"line":26,"column":1758}} ), depth0))
    + "</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 6px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:24px;font-weight:bold;line-height:30px;text-align:left;color:#ffffff;\"><div style=\"overflow-wrap:anywhere;word-break:break-word;\">"
    + alias3(alias2(alias1(depth0, "stateName", {"start":{"line":26,"column":2073},"end":{"line":26,"column":2082}} ), depth0))
    + ": progress by district</div></div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:14px;line-height:20px;text-align:left;color:#cfe0ee;\">"
    + alias3(alias2(alias1(depth0, "asOf", {"start":{"line":26,"column":2345},"end":{"line":26,"column":2349}} ), depth0))
    + " · "
    + alias3(alias2(alias1(depth0, "districtCount", {"start":{"line":26,"column":2356},"end":{"line":26,"column":2369}} ), depth0))
    + "</div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#ffffff\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#ffffff;background-color:#ffffff;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#ffffff;background-color:#ffffff;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:20px 0 4px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:14px;line-height:22px;text-align:left;color:#52606d;\">Milestone completion, overdue milestones, and the mean rating of each priority condition.</div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#ffffff\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#ffffff;background-color:#ffffff;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#ffffff;background-color:#ffffff;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:8px 0 16px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:15px;line-height:22px;text-align:left;color:#1f2933;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;width:100%;\"> "
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"rows"),{"name":"each","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":5637},"end":{"line":26,"column":7981}}})) != null ? stack1 : "")
    + " </table></div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" class=\"\" role=\"presentation\" style=\"width:600px;\" width=\"600\" bgcolor=\"#eef2f5\" ><tr><td style=\"line-height:0px;font-size:0px;mso-line-height-rule:exactly;\"><![endif]--> <div style=\"background:#eef2f5;background-color:#eef2f5;margin:0px auto;max-width:600px;\"> <table align=\"center\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" style=\"background:#eef2f5;background-color:#eef2f5;width:100%;\"> <tbody> <tr> <td style=\"direction:ltr;font-size:0px;padding:20px 0 32px;text-align:center;\"> \u003C!--[if mso | IE]><table role=\"presentation\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"\" style=\"vertical-align:top;width:600px;\" ><![endif]--> <div class=\"mj-column-per-100 mj-outlook-group-fix\" style=\"font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td style=\"vertical-align:top;padding:0;\"> <table border=\"0\" cellpadding=\"0\" cellspacing=\"0\" role=\"presentation\" width=\"100%\"> <tbody> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px 8px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:13px;line-height:19px;text-align:left;color:#52606d;\">"
    + alias3(alias2(alias1(depth0, "suppressionNote", {"start":{"line":26,"column":9521},"end":{"line":26,"column":9536}} ), depth0))
    + "</div> </td> </tr> <tr> <td align=\"left\" style=\"font-size:0px;padding:0 24px;word-break:break-word;\"> <div style=\"font-family:'Segoe UI', Helvetica, Arial, sans-serif;font-size:13px;line-height:19px;text-align:left;color:#52606d;\">You receive this roll-up as a state-wide subscriber of "
    + alias3(alias2(alias1(depth0, "stateName", {"start":{"line":26,"column":9826},"end":{"line":26,"column":9835}} ), depth0))
    + ". <a href=\""
    + alias3(alias2(alias1(depth0, "unsubscribeUrl", {"start":{"line":26,"column":9850},"end":{"line":26,"column":9864}} ), depth0))
    + "\" style=\"color:#123c5a;text-decoration:underline;\">Unsubscribe</a></div> </td> </tr> </tbody> </table> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </td> </tr> </tbody> </table> </div> \u003C!--[if mso | IE]></td></tr></table><![endif]--> </div> </body></html>\n";
},"useData":true};
